// Browser and bundler entry: fetches and compiles the wasm beside this file
// (bundlers see `new URL(..., import.meta.url)` and ship the file).
import init from './bdpay.js';

await init({ module_or_path: new URL('./bdpay_bg.wasm', import.meta.url) });

export * from './api.js';
