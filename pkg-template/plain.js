// Arguments for the entries whose wasm reads JS values through
// serde-wasm-bindgen (bdpay/clients, bdpay/worker): a copy in plain data.
// Its own module, so the validation entry (JSON text) does not download it.

// The deepest nesting the wasm modules read (crates/core/src/json.rs, MAX_DEPTH).
const MAX_DEPTH = 64;
// Not plain data: serde-wasm-bindgen refuses a symbol, and Rust answers with
// its own `not_an_object` error and messages.
const NOT_PLAIN = Symbol('not plain data');

/**
 * A copy of `value` in plain data only (null-prototype objects, arrays,
 * strings, numbers, booleans, null), for serde-wasm-bindgen to read in wasm:
 * what `JSON.stringify` keeps (`toJSON` called, `undefined` properties left
 * out, `undefined` items as null), without making text. Never throws: what
 * it cannot copy (a BigInt, a function, a symbol, a throwing getter or Proxy
 * trap) gives a value wasm refuses as not an object; nesting past
 * `MAX_DEPTH` (a cycle too) stops one level deeper, which wasm refuses as
 * too deep. Reading a getter or a Proxy from inside wasm could throw through
 * its frames and leave the module's state behind; reading this copy cannot.
 */
export function plain(value) {
  try {
    return copy(value, 0);
  } catch {
    return NOT_PLAIN;
  }
}

function copy(value, depth) {
  const v = value !== null && typeof value === 'object' && typeof value.toJSON === 'function' ? value.toJSON() : value;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      throw new TypeError(`${typeof v} is not JSON data`);
  }
  if (v === null) return null;
  if (depth >= MAX_DEPTH) return [];
  if (Array.isArray(v)) return Array.from(v, (item) => copy(item, depth + 1));
  // No prototype: a `__proto__` key stays an own key, as JSON.parse keeps it.
  const out = Object.create(null);
  for (const key of Object.keys(v)) {
    const item = v[key];
    if (item !== undefined) out[key] = copy(item, depth + 1);
  }
  return out;
}
