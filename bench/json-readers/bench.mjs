// Speed in Node: per-read time for the transaction answer and a 100-item packages list.
// Usage: node bench.mjs [iterations=20000] [runs=7]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const N = +(process.argv[2] ?? 20000), RUNS = +(process.argv[3] ?? 7);
const txn = `{"status": true, "message": "ok", "data": {"trx_id": "TRX1", "ref_id": "ORD-1", "phone": "01712345678", "amount": 100.50, "trx_status": "Pending", "operator_code": "GP", "created_at": "2026-01-01 10:00:00"}}`;
const prices = ['99.00', '149.50', '20', '299.99', '49.5'];
const pk = [];
for (let i = 0; i < 100; i++) pk.push(`{"id": ${i + 1}, "name": "${i + 1}GB", "price": ${prices[i % 5]}, "validity": "${(i % 30) + 1} days"}`);
const pkgs = `{"status": true, "data": [${pk.join(', ')}]}`;

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
function time(fn, arg) {
  let sink = 0;
  for (let i = 0; i < Math.min(N, 5000); i++) sink += fn(arg).length; // warm-up
  const per = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += fn(arg).length;
    per.push(Number(process.hrtime.bigint() - t0) / N / 1000); // µs per read
  }
  if (sink === 42) console.log('');
  return per;
}
const fmt = (per) => `${median(per).toFixed(2).padStart(7)} µs  (runs ${Math.min(...per).toFixed(2)}..${Math.max(...per).toFixed(2)})`;
console.log(`node ${process.version}, ${N} reads per run, ${RUNS} runs, median of per-run means; txn ${txn.length} B, packages ${pkgs.length} B`);
const only = process.argv[4];
for (const v of ['a_ap', 'a_raw', 'b_swb']) {
  if (only && only !== v) continue;
  const m = require(`./out/${v}/exp_json.js`);
  if (v === 'b_swb') {
    console.log(`${v.padEnd(6)} txn      JSON.parse+read ${fmt(time((t) => m.read(JSON.parse(t)), txn))}  -> ${m.read(JSON.parse(txn))}`);
    console.log(`${v.padEnd(6)} packages JSON.parse+read ${fmt(time((t) => m.read_packages(JSON.parse(t)), pkgs))}  -> ${m.read_packages(JSON.parse(pkgs))}`);
    const o1 = JSON.parse(txn), o2 = JSON.parse(pkgs);
    console.log(`${v.padEnd(6)} txn      read only       ${fmt(time(() => m.read(o1), null))}`);
    console.log(`${v.padEnd(6)} packages read only       ${fmt(time(() => m.read_packages(o2), null))}`);
    console.log(`JS     txn      JSON.parse only ${fmt(time((t) => { JSON.parse(t); return 'x'; }, txn))}`);
    console.log(`JS     packages JSON.parse only ${fmt(time((t) => { JSON.parse(t); return 'x'; }, pkgs))}`);
  } else {
    console.log(`${v.padEnd(6)} txn      read(text)      ${fmt(time(m.read, txn))}  -> ${m.read(txn)}`);
    console.log(`${v.padEnd(6)} packages read(text)      ${fmt(time(m.read_packages, pkgs))}  -> ${m.read_packages(pkgs)}`);
  }
}
