// Preloaded by bench/bulk.mjs (`node --import`): when the process exits, its
// peak resident memory as the OS counted it and the CPU time it used go to
// BDPAY_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.BDPAY_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, cpuMs: (user + system) / 1000 }));
  });
}
