// Preloaded by the benchmark (node --import): writes the process's peak RSS in KiB to $AEGIS_BENCH_RSS_FILE on exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.AEGIS_BENCH_RSS_FILE) writeFileSync(process.env.AEGIS_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
