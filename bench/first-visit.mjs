// A customer's first visit to the demo shop (`./build.sh demo`: the merchant
// server, the proxy in workerd, the sandbox) over a slow mobile link: what
// the page downloads (bytes on the wire: headers and bodies as sent, so a
// compressed answer counts compressed) and how long until the form can be
// used (the Recharge tab's number field shown and enabled), with Chromium's
// own network throttling (DevTools' `Network.emulateNetworkConditions`
// through playwright-core's CDP session). Then a second visit in the same
// browser context, which shows what the cache headers save.
//
//   node bench/first-visit.mjs [--samples N] [--json FILE]
//
// Needs pkg/ (./build.sh) and target/release/bdpay-sandbox. Everything stays
// on 127.0.0.1; each sample is a fresh browser context (empty caches).

import { writeFileSync } from 'node:fs';

import { startDemo } from '../demo/run.mjs';
import { launchChromium } from '../tests/clients/chromium.mjs';

// 1.6 Mbps down, as the issue measured it; 750 kbps up and 150 ms of
// round trip, DevTools' "Fast 3G" apart from its extra latency factor.
export const LINK = { downloadBps: 1_600_000, uploadBps: 750_000, latencyMs: 150 };

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One visit of `url` in `page`: `{ ms, bytes, requests: [{ url, status, bytes, encoding, cache }] }`. */
async function visit(page, cdp, url) {
  const seen = new Map();
  const onResponse = (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    seen.set(e.requestId, {
      url: e.response.url,
      status: e.response.status,
      encoding: h['content-encoding'] ?? '',
      cache: h['cache-control'] ?? '',
      bytes: 0,
      fromCache: Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache),
    });
  };
  const onFinished = (e) => {
    const r = seen.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  };
  const onCached = (e) => {
    // Served from the memory cache: nothing crossed the wire.
    seen.set(`cache:${e.request?.url ?? e.requestId}`, { url: e.request?.url, status: 200, encoding: '', cache: '', bytes: 0, fromCache: true });
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.requestServedFromCache', onCached);
  await page.goto(url, { waitUntil: 'commit' });
  // Usable: the tabs are shown and the number field takes typing.
  const field = page.locator('#panel-recharge input[name="phone"]');
  await field.waitFor({ state: 'visible', timeout: 60_000 });
  const ms = await page.evaluate(() => performance.now());
  // Whatever the page still fetches after that counts too (the other tabs' modules).
  await page.waitForLoadState('networkidle');
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  cdp.off('Network.requestServedFromCache', onCached);
  const requests = [...seen.values()].filter((r) => r.url && !r.url.startsWith('data:'));
  return { ms, bytes: requests.reduce((n, r) => n + r.bytes, 0), requests };
}

export async function firstVisit({ samples = 5 } = {}) {
  const demo = await startDemo({ log: () => {} });
  const browser = await launchChromium();
  const runs = [];
  try {
    for (let i = 0; i < samples; i += 1) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: LINK.latencyMs,
        downloadThroughput: LINK.downloadBps / 8,
        uploadThroughput: LINK.uploadBps / 8,
      });
      const first = await visit(page, cdp, `${demo.url}/`);
      const again = await visit(page, cdp, `${demo.url}/`);
      runs.push({ first, again });
      await context.close();
    }
  } finally {
    await browser.close();
    await demo.stop();
  }
  const pick = (which, key) => median(runs.map((r) => r[which][key]));
  return {
    link: LINK,
    samples,
    firstVisit: { medianMs: pick('first', 'ms'), medianBytes: pick('first', 'bytes'), requests: runs[0].first.requests },
    secondVisit: { medianMs: pick('again', 'ms'), medianBytes: pick('again', 'bytes'), requests: runs[0].again.requests },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await firstVisit({ samples: Number(arg('--samples', 5)) });
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const line = (v) => `${kb(v.medianBytes)} on the wire, usable form after ${(v.medianMs / 1000).toFixed(2)} s`;
  console.log(`link: ${r.link.downloadBps / 1e6} Mbps down, ${r.link.uploadBps / 1e3} kbps up, ${r.link.latencyMs} ms RTT; median of ${r.samples}`);
  console.log(`first visit:  ${line(r.firstVisit)}`);
  console.log(`second visit: ${line(r.secondVisit)}`);
  console.log('\nfirst visit, by request (the first sample):');
  for (const q of r.firstVisit.requests) {
    console.log(`  ${String(q.bytes).padStart(8)}  ${q.status}  ${(q.encoding || '-').padEnd(4)}  ${q.cache.padEnd(38)}  ${new URL(q.url).pathname}`);
  }
  console.log('\nsecond visit, by request (the first sample):');
  for (const q of r.secondVisit.requests) {
    console.log(`  ${String(q.bytes).padStart(8)}  ${q.status}  ${(q.encoding || '-').padEnd(4)}  ${q.cache.padEnd(38)}  ${new URL(q.url).pathname}${q.fromCache ? ' (cache)' : ''}`);
  }
  const out = arg('--json');
  if (out) writeFileSync(out, `${JSON.stringify(r, null, 2)}\n`);
}
