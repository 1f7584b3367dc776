// `npm run bench`: CPU time, wall time and peak memory of the main commands, several runs each, median printed beside
// the floor (`node -e ''` measured the same way). Figures, not pass/fail: compare them with the targets in
// docs/benchmarks.md. CPU time (user + system, whole process) hardly moves with the machine's load; wall time does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'cli', 'aegis.js');
const preload = join(root, 'scripts', 'report-rss.mjs');
const runs = Number(process.env.BENCH_RUNS ?? 7);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function measure(args, cwd, command = [bin]) {
  const usageFile = join(tmpdir(), `aegis-bench-usage-${process.pid}-${process.hrtime.bigint()}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', preload, ...command, ...args], {
    cwd,
    env: { ...process.env, AEGIS_BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`aegis ${args.join(' ')} failed:\n${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  rmSync(usageFile);
  return { seconds, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMiB: usage.maxRSS / 1024 };
}

/** The floor: `node -e ''` with the same preload, measured as the commands are. */
const floor = (() => {
  const samples = [];
  for (let index = 0; index < runs; index += 1) samples.push(measure(['-e', ''], tmpdir(), []));
  return {
    cpu: median(samples.map((sample) => sample.cpu)),
    seconds: median(samples.map((sample) => sample.seconds)),
    rssMiB: median(samples.map((sample) => sample.rssMiB)),
  };
})();

function bench(label, target, prepare) {
  const samples = [];
  for (let index = 0; index < runs; index += 1) {
    const cwd = mkdtempSync(join(tmpdir(), 'aegis-bench-'));
    try {
      samples.push(measure(prepare(cwd, index), cwd));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  const wall = median(samples.map((sample) => sample.seconds));
  const cpu = median(samples.map((sample) => sample.cpu));
  const rss = median(samples.map((sample) => sample.rssMiB));
  const min = Math.min(...samples.map((sample) => sample.seconds));
  const max = Math.max(...samples.map((sample) => sample.seconds));
  console.log(
    `${label.padEnd(44)} CPU ${cpu.toFixed(3)} s (floor ${floor.cpu.toFixed(3)})  wall median ${wall.toFixed(3)} s (min ${min.toFixed(3)}, max ${max.toFixed(3)}; floor ${floor.seconds.toFixed(3)})` +
      `  peak RSS ${rss.toFixed(0)} MiB (floor ${floor.rssMiB.toFixed(0)})  target < ${target} s  ${wall < target ? 'ok' : 'OVER'}`,
  );
}

console.log(`generator-aegis benchmark: ${runs} runs each, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(`${"node -e '' (the floor)".padEnd(44)} CPU ${floor.cpu.toFixed(3)} s  wall median ${floor.seconds.toFixed(3)} s  peak RSS ${floor.rssMiB.toFixed(0)} MiB`);
bench('aegis init (base stack, --skip-install)', 1.5, () => ['init', 'bench', '--yes', '--skip-install']);
bench('aegis init --components scheduler (--skip-install)', 1.5, () => [
  'init',
  'bench',
  '--yes',
  '--skip-install',
  '--components',
  'scheduler',
]);

/** A freshly generated project to change (not timed). */
function generated(cwd, components = []) {
  const args = ['init', 'bench', '--yes', '--skip-install', ...(components.length ? ['--components', components.join(',')] : [])];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`aegis init failed:\n${result.stderr}`);
  return join(cwd, 'bench');
}
bench('aegis add scheduler (--skip-install)', 1, (cwd) => ['add', 'scheduler', '--skip-install', '-p', generated(cwd)]);
bench('aegis remove scheduler (--skip-install)', 1, (cwd) => [
  'remove',
  'scheduler',
  '--skip-install',
  '-p',
  generated(cwd, ['scheduler']),
]);
bench('aegis add worker (+ redis, --skip-install)', 1, (cwd) => ['add', 'worker', '--skip-install', '-p', generated(cwd)]);
bench('aegis add-service auth (+ database, --skip-install)', 1, (cwd) => ['add-service', 'auth', '--skip-install', '-p', generated(cwd)]);
bench('aegis add scheduler --dry-run', 1, (cwd) => ['add', 'scheduler', '--dry-run', '-p', generated(cwd)]);

// Startup cost per command (init, add worker, remove worker, update up to date, --version), median of 9 by default,
// beside the floor; BENCH_NODE=path/to/node measures under another Node too (see bench-startup.mjs).
{
  const { startupFigures } = await import('./bench-startup.mjs');
  startupFigures(process.execPath, Number(process.env.BENCH_RUNS ?? 9));
  if (process.env.BENCH_NODE) startupFigures(process.env.BENCH_NODE, Number(process.env.BENCH_RUNS ?? 9));
}

// The engine alone, in process: what the commands above spend beyond loading Node and Yeoman.
const { planProjectChange } = await import('../dist/shared/engine/project-change.js');
const { readState } = await import('../dist/shared/model/project-state.js');
const { addFeatures } = await import('../dist/shared/model/feature-selection.js');
{
  const cwd = mkdtempSync(join(tmpdir(), 'aegis-bench-'));
  try {
    const project = generated(cwd);
    const timings = [];
    for (let index = 0; index < runs; index += 1) {
      const started = process.hrtime.bigint();
      const state = readState(project);
      const { selection } = addFeatures(state.answers, [{ name: 'scheduler', options: {} }]);
      planProjectChange({ root: project, before: state, after: { ...state, answers: { ...state.answers, ...selection } } });
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    console.log(`${'engine only: plan add scheduler (in process)'.padEnd(44)} median ${median(timings).toFixed(1)} ms (first ${timings[0].toFixed(1)} ms)`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
{
  const started = process.hrtime.bigint();
  await import('yeoman-environment');
  console.log(`${'loading yeoman-environment (once)'.padEnd(44)} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
}

// The 3-way merge of a 1,000,000-line file, in process (see bench-merge.mjs).
{
  const { mergeFigures } = await import('./bench-merge.mjs');
  await mergeFigures();
}

// aegis update with 50 to 400 user-edited files (see bench-update.mjs).
{
  const { updateFigures } = await import('./bench-update.mjs');
  updateFigures(root);
}

// The generated load test: jobs/s of one load_test worker per worker backend, side by side, against the Redis at REDIS_URL.
// Needs uv and a reachable Redis; skipped with a note otherwise (a figure for docs/benchmarks.md, not a test).
{
  const { loadTestFigures } = await import('./bench-load-test.mjs');
  await loadTestFigures(bin);
}

// The generated /health against a bare FastAPI app on the same uvicorn settings, a few seconds each (see
// bench-health.mjs). Needs uv; a figure with a goal (ratio >= 0.9), not a test.
{
  const { healthFigures } = await import('./bench-health.mjs');
  await healthFigures(bin);
}
