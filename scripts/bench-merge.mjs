// The 3-way line merge alone, in process, on a 1,000,000-line file (and 150,000): each side edits the top, the
// middle and the end. `node scripts/bench-merge.mjs` runs it on its own (after `npm run build`); `npm run bench`
// runs it with the rest. Figures only; the target is in docs/benchmarks.md.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function sides(count) {
  const base = Array.from({ length: count }, (_, index) => (index % 7 === 0 ? '\n' : `line ${index}\n`));
  const middle = Math.floor(count / 2);
  const ours = [...base];
  ours.splice(middle + 3, 1, 'user changed the middle\n');
  ours.push('user line at the end\n');
  ours.unshift('user line at the top\n');
  const theirs = [...base];
  theirs.splice(count - 5, 1, 'template changed the end\n');
  theirs.splice(middle - 3, 0, 'template added in the middle\n');
  theirs.splice(2, 1, 'template changed the top\n');
  return [ours.join(''), base.join(''), theirs.join('')];
}

export async function mergeFigures(runs = Number(process.env.BENCH_RUNS ?? 5)) {
  const { mergeText } = await import(pathToFileURL(join(root, 'dist', 'shared', 'engine', 'line-merge.js')).href);
  for (const [count, target] of [
    [150_000, 0.5],
    [1_000_000, 3],
  ]) {
    const [ours, base, theirs] = sides(count);
    const timings = [];
    let peak = 0;
    for (let index = 0; index < runs; index += 1) {
      const started = process.hrtime.bigint();
      const result = mergeText(ours, base, theirs);
      timings.push(Number(process.hrtime.bigint() - started) / 1e9);
      peak = Math.max(peak, process.memoryUsage().rss);
      if (result.conflicts !== 0 || !result.text.includes('user line at the end\n')) throw new Error('merge went wrong');
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const label = `merge ${count.toLocaleString('en-US')} lines (in process)`;
    console.log(
      `${label.padEnd(44)} median ${median.toFixed(3)} s (min ${sorted[0].toFixed(3)}, max ${sorted.at(-1).toFixed(3)})  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB  target < ${target} s  ${median < target ? 'ok' : 'OVER'}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await mergeFigures();
