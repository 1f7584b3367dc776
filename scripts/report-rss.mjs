// Preloaded by the benchmark (node --import): on exit, writes the process's peak RSS in KiB to $AEGIS_BENCH_RSS_FILE,
// and its whole resource usage (process.resourceUsage(): CPU time since the process started, peak RSS) as JSON to
// $AEGIS_BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.AEGIS_BENCH_RSS_FILE) writeFileSync(process.env.AEGIS_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
  if (process.env.AEGIS_BENCH_USAGE_FILE) writeFileSync(process.env.AEGIS_BENCH_USAGE_FILE, JSON.stringify(process.resourceUsage()));
});
