// What the wasm is made of: the wasm-bindgen output optimised again with the
// build's own wasm-opt flags but keeping names (`-g`), then every function's
// code bytes summed by the part of the library it belongs to. Raw bytes, not
// gzip: a guide to where size comes from, not a second size figure.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Sections and per-function code sizes with names, from a wasm binary. */
export function parseWasm(buf) {
  let p = 8;
  const u32 = () => {
    let r = 0;
    let s = 0;
    let b;
    do {
      b = buf[p++];
      r += (b & 0x7f) * 2 ** s;
      s += 7;
    } while (b & 0x80);
    return r;
  };
  const skipLimits = () => {
    const flags = buf[p++];
    u32();
    if (flags & 1) u32();
  };
  const sections = {};
  const bodies = [];
  const names = new Map();
  let importedFuncs = 0;
  while (p < buf.length) {
    const id = buf[p++];
    const size = u32();
    const end = p + size;
    let label = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `section${id}`;
    if (id === 0) {
      const len = u32();
      label = `custom:${buf.subarray(p, p + len).toString()}`;
      p += len;
      if (label === 'custom:name') {
        while (p < end) {
          const sub = buf[p++];
          const subEnd = u32() + p;
          if (sub === 1) {
            for (let n = u32(); n > 0; n -= 1) {
              const idx = u32();
              const l = u32();
              names.set(idx, buf.subarray(p, p + l).toString());
              p += l;
            }
          }
          p = subEnd;
        }
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n -= 1) {
        for (let part = 0; part < 2; part += 1) {
          const len = u32(); // module, then field name
          p += len;
        }
        const kind = buf[p++];
        if (kind === 0) {
          u32();
          importedFuncs += 1;
        } else if (kind === 1) {
          p += 1;
          skipLimits();
        } else if (kind === 2) {
          skipLimits();
        } else if (kind === 3) {
          p += 2;
        } else {
          u32();
        }
      }
    } else if (id === 10) {
      for (let n = u32(), i = 0; i < n; i += 1) {
        const s = u32();
        bodies.push({ index: importedFuncs + i, size: s });
        p += s;
      }
    }
    sections[label] = (sections[label] ?? 0) + size;
    p = end;
  }
  for (const b of bodies) b.name = (names.get(b.index) ?? `#${b.index}`).replace(/::h[0-9a-f]{16}$/, '');
  return { sections, bodies };
}

// First match wins.
const PARTS = [
  ['clients: GatewayClient, BillPayClient, fetch transport, API answers', /bdpay_api::|bdpay::transport::|bdpay::js::(clients|bulk|server)::|Wasm(Gateway|BillPay)Client|wasm_bindgen_futures|js_sys::futures|Promise|Closure/],
  ['proxy rules (bdpay/worker)', /bdpay_proxy::|bdpay::js::worker::|wasmproxy/i],
  ['biller schemas: reading (serde) and form checks', /bdpay_core::billers::|parseBillers|validateBillerForm/],
  ['validation: phone, operators, rules, request, money, messages', /bdpay_core::(phone|operators|rules|request|money|messages|text|settings)::|bdpay_numbering::|^validator_/],
  ['JSON parser and writer (bdpay_core::json)', /bdpay_core::json::/],
  ['allocator (talc)', /talc::|dlmalloc|__rdl_|__rust_(alloc|dealloc|realloc)|alloc::alloc::/],
  ['Rust core/alloc (fmt, str, iterators, panics)', /core|alloc::|GenericShunt|fmt|panic/],
  ['wasm-bindgen shims and externref tables', /shim|wasm_bindgen|__wbindgen|__wbg|__externref/],
  ['other bdpay::js bindings', /bdpay::js::/],
];

export function groupBodies(bodies) {
  const groups = new Map(PARTS.map(([name]) => [name, { bytes: 0, functions: 0, largest: [] }]));
  groups.set('unnamed or other', { bytes: 0, functions: 0, largest: [] });
  for (const b of bodies) {
    const part = PARTS.find(([, re]) => re.test(b.name))?.[0] ?? 'unnamed or other';
    const g = groups.get(part);
    g.bytes += b.size;
    g.functions += 1;
    g.largest.push(b);
  }
  return [...groups]
    .map(([name, g]) => ({
      name,
      bytes: g.bytes,
      functions: g.functions,
      largest: g.largest
        .sort((a, b) => b.size - a.size)
        .slice(0, 3)
        .map((b) => `${b.name} (${b.size})`),
    }))
    .filter((g) => g.functions > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** The breakdown of `stageWasm` (wasm-bindgen's output) under `wasmOpt` with `flags` plus `-g`. */
export function wasmBreakdown(stageWasm, wasmOpt, flags) {
  const dir = mkdtempSync(join(tmpdir(), 'bdpay-bench-'));
  try {
    const out = join(dir, 'named.wasm');
    const keep = flags.filter((f) => f !== '--strip-debug');
    execFileSync(wasmOpt, ['-g', ...keep, '-o', out, stageWasm], { stdio: ['ignore', 'ignore', 'pipe'] });
    const { sections, bodies } = parseWasm(readFileSync(out));
    return {
      sections: Object.fromEntries(Object.entries(sections).filter(([k]) => k !== 'custom:name')),
      codeBytes: sections.code ?? 0,
      dataBytes: sections.data ?? 0,
      functions: bodies.length,
      parts: groupBodies(bodies),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
