// The browser tests' harness: a tiny static server on 127.0.0.1 that serves
// one page at / and the built pkg/ at /pkg/ (its JavaScript, wasm and JSON,
// nothing else), and Debian's /usr/bin/chromium driven by playwright-core.
import { readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../clients/chromium.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = realpathSync(path.join(root, 'pkg'));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/**
 * Serves `page` and pkg/, and starts Chromium: `{ origin, served, browser,
 * close }`, `served` the paths asked for in order. `wasm()` says how a
 * `.wasm` is answered at each request: its `type`, or a `status` instead.
 */
export async function servePkg(page, { wasm = () => ({ type: 'application/wasm' }) } = {}) {
  const served = [];
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    served.push(pathname);
    if (pathname === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    if (pathname === '/favicon.ico') return res.writeHead(204).end();
    const name = pathname.startsWith('/pkg/') ? pathname.slice('/pkg/'.length) : '';
    const answer = path.extname(name) === '.wasm' ? wasm() : { type: TYPES[path.extname(name)] };
    if (answer.status) return res.writeHead(answer.status).end();
    if (!/^[\w.-]+$/.test(name) || !answer.type) return res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': answer.type }).end(readFileSync(path.join(pkgDir, name)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    server.close();
    throw e;
  }
  return {
    origin,
    served,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}
