// The checkout page and the bdpay package, served as production serves
// them: compressed (brotli or gzip, as the browser accepts), the wasm under
// a content-hashed name with a year's `immutable` cache, and everything else
// (the HTML, and the modules that name the hashed wasm) revalidated on each
// visit with an ETag, so a new build is never hidden behind a cached copy.
// What a bundler and a CDN do for a shop's own build; this file does it with
// node:zlib for the demo. It never serves a file outside its two directories.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  // `compileStreaming` takes the wasm only with this type.
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
// Kept, but asked again each time: a 304 when nothing changed.
const REVALIDATE = 'no-cache';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const ENCODERS = {
  br: (body) => brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => gzip(body, { level: 9 }),
};

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The encoding to send for an `Accept-Encoding` header: brotli, else gzip, else none. */
export function pickEncoding(accept = '') {
  const offered = new Map();
  for (const part of String(accept).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    offered.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (name) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  return ['br', 'gzip'].find(ok) ?? '';
}

/**
 * `{ serve(req, res, pathname) }` for the page in `page` (at `/`) and the
 * package in `pkg` (at `/pkg/`); `serve` answers 404 for anything else.
 * Each `.wasm` of the package is also served as `name.<hash>.wasm` (the
 * first 16 hex digits of its SHA-256), and the package's modules name it so.
 */
export function staticFiles({ page, pkg }) {
  // bdpay_clients_bg.wasm → bdpay_clients_bg.0123456789abcdef.wasm, from the files as they are now.
  const hashedName = new Map();
  const original = new Map();
  for (const name of readdirSync(pkg).filter((n) => n.endsWith('.wasm'))) {
    const hashed = name.replace(/\.wasm$/, `.${sha(readFileSync(path.join(pkg, name))).slice(0, 16)}.wasm`);
    hashedName.set(name, hashed);
    original.set(hashed, name);
  }
  // `./name.wasm` in the package's modules, `/pkg/name.wasm` in the page (a preload).
  const rename = (text) =>
    text.replace(/(\.\/|\/pkg\/)([\w-]+\.wasm)\b/g, (m, dir, name) => (hashedName.has(name) ? `${dir}${hashedName.get(name)}` : m));

  // Compressed bodies, by their content's hash and the encoding: made once.
  const made = new Map();
  const encoded = (body, hash, encoding) => {
    const key = `${hash}:${encoding}`;
    if (!made.has(key)) made.set(key, ENCODERS[encoding](body));
    return made.get(key);
  };
  // The wasm is the largest file and never changes under its name: compress it now, not on the first visit.
  for (const name of hashedName.keys()) {
    const body = readFileSync(path.join(pkg, name));
    for (const encoding of Object.keys(ENCODERS)) encoded(body, sha(body), encoding).catch(() => {});
  }

  /** The file for a path: `{ file, immutable, rewrite }`, or null. */
  const locate = (pathname) => {
    if (pathname.startsWith('/pkg/')) {
      const name = pathname.slice('/pkg/'.length);
      if (original.has(name)) return { dir: pkg, file: original.get(name), immutable: true };
      return { dir: pkg, file: name, rewrite: name.endsWith('.js') };
    }
    const file = pathname.slice(1) || 'index.html';
    return { dir: page, file, rewrite: file.endsWith('.html') };
  };

  async function serve(req, res, pathname) {
    let found;
    try {
      const where = locate(decodeURIComponent(pathname));
      const file = path.resolve(where.dir, where.file);
      const type = TYPES[path.extname(file)];
      if (!type || !file.startsWith(where.dir + path.sep)) throw new Error('not served');
      let body = await readFile(file);
      if (where.rewrite) body = Buffer.from(rename(body.toString('utf8')));
      found = { ...where, type, body };
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('Not found.');
      return;
    }
    const hash = sha(found.body);
    const encoding = found.body.length > 512 ? pickEncoding(req.headers['accept-encoding']) : '';
    const etag = `"${hash.slice(0, 32)}${encoding ? `-${encoding}` : ''}"`;
    const headers = {
      'content-type': found.type,
      'cache-control': found.immutable ? IMMUTABLE : REVALIDATE,
      etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    const cached = String(req.headers['if-none-match'] ?? '')
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''));
    if (cached.includes(etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    const sent = encoding ? await encoded(found.body, hash, encoding) : found.body;
    if (encoding) headers['content-encoding'] = encoding;
    headers['content-length'] = String(sent.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : sent);
  }

  return { serve, hashedName };
}
