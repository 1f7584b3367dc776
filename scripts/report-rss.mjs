// Preloaded by the benchmarks (node --import): on exit, writes the process's resource usage (process.resourceUsage():
// user and system CPU time since the process started, peak RSS in KiB) as JSON to $AEGIS_BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.AEGIS_BENCH_USAGE_FILE) writeFileSync(process.env.AEGIS_BENCH_USAGE_FILE, JSON.stringify(process.resourceUsage()));
});
