// Exactness of the amount field on hostile numbers, for each reader.
// Usage: node exact.mjs   (after ./build.sh)
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const mods = {
  a_ap: require('./out/a_ap/exp_json.js'),
  a_raw: require('./out/a_raw/exp_json.js'),
  b_swb: require('./out/b_swb/exp_json.js'),
};
// The amount exactly as it appears in the JSON text, and the exact paisa it means
// (null = not a whole number of paisa, or outside i64 paisa: should be refused).
const cases = [
  ['100.50', 10050n], ['100.5', 10050n], ['0.1', 10n], ['1e2', 10000n], ['1e21', null],
  ['1e400', null], ['-0', 0n], ['100.505', null], ['9007199254740993', 900719925474099300n],
  ['12345678901234567890.12', null], ['"100.50"', 10050n],
  // extra
  ['100', 10000n], ['1e3', 100000n], ['1E+2', 10000n], ['1.005e2', 10050n], ['100.500', 10050n],
  ['0.30000000000000004', null], ['0.30000000000000001', null], ['100.50000000000000001', null],
  ['9999999999999.99', 999999999999999n], ['99999999999999.99', 9999999999999999n],
  ['92233720368547758.07', 9223372036854775807n], ['92233720368547758.08', null],
  ['1e-2', 1n], ['1e-3', null], ['-100.50', -10050n], ['"1e3"', 100000n], ['" 100"', null],
  ['"abc"', null], ['"\\u0031"', 100n], ['null', null], ['true', null], ['{}', null],
];
const txn = (amt) => `{"status": true, "message": "ok", "data": {"trx_id": "TRX1", "ref_id": "ORD-1", "phone": "01712345678", "amount": ${amt}, "trx_status": "Pending", "operator_code": "GP", "created_at": "2026-01-01 10:00:00"}}`;
const call = (v, text) => {
  try {
    return v === 'b_swb' ? mods[v].read(JSON.parse(text)) : mods[v].read(text);
  } catch (e) { return `THREW ${e.constructor.name}: ${e.message}`; }
};
const verdict = (out, want) => {
  if (out.startsWith('THREW')) return 'PANIC/THROW';
  const m = /^ok TRX1 (-?\d+) Pending$/.exec(out);
  if (!m) return want === null ? 'refused' : 'refused (exact value existed)';
  const got = BigInt(m[1]);
  if (want !== null && got === want) return 'exact';
  return `CHANGED -> ${got}`;
};
const rows = [['amount text', 'exact paisa', ...Object.keys(mods)]];
const detail = [];
for (const [amt, want] of cases) {
  const row = [amt, want === null ? '-' : String(want)];
  for (const v of Object.keys(mods)) {
    const out = call(v, txn(amt));
    row.push(verdict(out, want));
    detail.push(`${v.padEnd(6)} ${amt.padEnd(26)} ${out}`);
  }
  rows.push(row);
}
const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log('| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |');
console.log('\nraw outputs:');
for (const d of detail) console.log(d);
// malformed answers must be errors, never traps
console.log('\nmalformed answers:');
for (const t of ['', '{', '{"status": true, "data": {}}', '{"status": false, "message": "no balance"}', '[1,2]', '{"status": true, "data": [1]}', '"\\ud800"',
  '{"status": true, "x": ' + '['.repeat(10000) + ']'.repeat(10000) + '}',
  '{"status": true, "data": ' + '['.repeat(10000) + ']'.repeat(10000) + '}',
  '{"status": true, "data": {"trx_id": ' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}}']) {
  for (const v of Object.keys(mods)) {
    let out;
    if (v === 'b_swb') { try { out = mods[v].read(JSON.parse(t)); } catch (e) { out = `JSON.parse ${e.constructor.name} (not a wasm trap): ${e.message}`; } }
    else out = call(v, t);
    console.log(`${v.padEnd(6)} ${(t.length > 60 ? JSON.stringify(t.slice(0, 40)) + '… (' + t.length + ' B)' : JSON.stringify(t)).padEnd(40)} ${out}`);
  }
}
