// Starts the project's sandbox binary (built by `./build.sh test`) on a free
// loopback port and stops it when the test is done.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { targetDir } from '../../build/target-dir.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The sandbox binary, where cargo built it. */
export const sandboxBin = () => join(targetDir(), 'release', 'bdpay-sandbox');

/**
 * `{ url, stop, log }`. The sandbox logs each call to stderr: kept in `log`
 * (an array of lines) with `{ captureLog: true }`, shown when
 * BDPAY_SANDBOX_LOG is set, dropped otherwise.
 */
export async function startSandbox(args = [], { captureLog = false } = {}) {
  const bin = sandboxBin();
  const stderr = captureLog ? 'pipe' : process.env.BDPAY_SANDBOX_LOG ? 'inherit' : 'ignore';
  const child = spawn(bin, ['--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', stderr] });
  const log = [];
  if (captureLog) createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code} before listening`)));
    lines.once('line', (line) => {
      const m = /^bdpay sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line from the sandbox: ${line}`));
    });
  });
  lines.on('line', () => {});
  return {
    url,
    log,
    /** Stops the sandbox (`SIGKILL`: at once, its connections dropped, as a gateway lost). */
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill(signal);
      }),
  };
}

export { root };
