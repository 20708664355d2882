// The bench's figures as one SVG: a panel per question (size, calls per
// second, cold start in Chromium and in Node, proxy CPU), bdpay's bars beside
// the peers measured in the same run. Written by run.mjs after every run to
// bench-results/bench.svg; plain SVG text, no library.

const WIDTH = 760;
const LABEL = 300;
const BAR_H = 16;
const GAP = 6;
const PANEL_GAP = 26;
const BDPAY = '#1b7f5c';
const PEER = '#9aa5b1';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `{ title, unit, rows: [{ label, value, ours }] }` → SVG elements and the panel's height. */
function panel(p, y0) {
  const rows = p.rows.filter((r) => Number.isFinite(r.value) && r.value >= 0);
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const span = WIDTH - LABEL - 110;
  const parts = [`<text x="0" y="${y0 + 14}" font-weight="bold">${esc(p.title)}</text>`];
  let y = y0 + 24;
  for (const r of rows) {
    const w = Math.max(1, (r.value / max) * span);
    parts.push(
      `<text x="${LABEL - 8}" y="${y + BAR_H - 4}" text-anchor="end">${esc(r.label)}</text>`,
      `<rect x="${LABEL}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${r.ours ? BDPAY : PEER}"/>`,
      `<text x="${(LABEL + w + 6).toFixed(1)}" y="${y + BAR_H - 4}">${esc(p.format(r.value))}</text>`,
    );
    y += BAR_H + GAP;
  }
  return { svg: parts.join('\n'), height: y - y0 + PANEL_GAP };
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const perSec = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${Math.round(n / 1000)} k/s`);
const ms = (n) => `${n.toFixed(n < 1 ? 2 : 1)} ms`;
const ours = (name) => /bdpay/i.test(name) && !/empty|nothing|bare|wasm-call/i.test(name);

/** The panels a bench result has figures for. */
export function panels(r) {
  const out = [];
  if (r.sizes?.length) {
    out.push({
      title: 'Download, gzip (smaller is better)',
      format: kb,
      rows: r.sizes.map((s) => ({ label: s.key.replace(/^entry:/, '').replace('bdpay-browser', 'bdpay (validation)'), value: s.gzip, ours: ours(s.key) || s.key === 'bdpay-browser' })),
    });
  }
  if (r.throughput?.length) {
    out.push({
      title: 'Numbers per second from JS (larger is better)',
      format: perSec,
      rows: r.throughput.map((t) => ({ label: t.name, value: t.callsPerSec, ours: ours(t.name) })),
    });
  }
  if (r.coldBrowser?.targets?.length) {
    out.push({
      title: 'Cold start in Chromium, import → first result, median (smaller is better)',
      format: ms,
      rows: r.coldBrowser.targets.map((t) => ({ label: t.name, value: t.medianMs, ours: ours(t.name) })),
    });
  }
  if (r.coldNode?.targets?.length) {
    out.push({
      title: 'Cold start in Node, import → first result, median (smaller is better)',
      format: ms,
      rows: r.coldNode.targets.map((t) => ({ label: t.name, value: t.importToResultMedianMs, ours: ours(t.name) })),
    });
  }
  const cpu = r.proxy?.measured ? r.proxy.cpuPerRequest : null;
  if (cpu && Number.isFinite(cpu.ms)) {
    const bare = r.proxy.figures?.find((f) => /bare.*cpu.*per.?request.*ms$/i.test(f.path));
    const floor = r.proxy.figures?.find((f) => /floor.*cpu.*per.?request.*ms$/i.test(f.path));
    out.push({
      title: 'Worker CPU per request in workerd (smaller is better)',
      format: ms,
      rows: [
        { label: 'bdpay/worker proxy', value: cpu.ms, ours: true },
        ...(floor ? [{ label: 'floor of a checking proxy', value: floor.value, ours: false }] : []),
        ...(bare ? [{ label: 'bare pass-through Worker', value: bare.value, ours: false }] : []),
      ],
    });
  }
  return out;
}

/** The whole chart as SVG text. */
export function chart(r) {
  let y = 34;
  const body = [];
  for (const p of panels(r)) {
    const { svg, height } = panel(p, y);
    body.push(svg);
    y += height;
  }
  const title = `bdpay bench, ${esc(r.meta?.date ?? '')} (${esc(r.meta?.commit ?? '')}); green: bdpay, grey: peers and floors`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="0" y="16" font-size="13">${title}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
