// Where cargo writes what it builds: `target/`, or wherever CARGO_TARGET_DIR
// or a cargo config's `build.target-dir` says. Every script that reads a
// built file (the wasm, the sandbox binary) asks here, as cargo itself would
// answer, so none reads a stale file from a fixed path.
//
//   node build/target-dir.mjs [MANIFEST]   prints it (default: the repository's Cargo.toml)

import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const known = new Map();

/** The target directory of the workspace of `manifest` (the repository's by default), as cargo resolves it. */
export function targetDir(manifest = join(ROOT, 'Cargo.toml')) {
  if (!known.has(manifest)) {
    const metadata = execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    known.set(manifest, JSON.parse(metadata).target_directory);
  }
  return known.get(manifest);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(targetDir(process.argv[2] ? resolve(process.argv[2]) : undefined));
}
