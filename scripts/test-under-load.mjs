// The end-to-end suite (vitest's `integration` project: everything but the in-memory unit tests) run under CPU load,
// to show that no test depends on the machine being idle: busy processes take CPU from the tests for the whole run.
//
//   node scripts/test-under-load.mjs [vitest filters…]   (after `npm run build`; `npm run test:under-load` builds first)
//
// LOAD_PROCESSES (default: the number of cores) busy loops run beside the suite at normal priority; LOAD_RUNS (default
// 1) runs follow one another. Each run writes test-results/under-load-<n>.json (vitest's JSON report) and the script
// prints, per run, its tests passed and failed, its wall time and the load average seen, then each failed test by file
// and name. It exits 1 if any run had a failed test.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** A whole number of at least `least` from the environment, else a one-line error naming the variable, exit 2. */
const wholeNumber = (name, fallback, least) => {
  const value = Number(process.env[name] ?? fallback);
  if (Number.isInteger(value) && value >= least) return value;
  console.error(`${name} must be a whole number of at least ${least} (got "${process.env[name]}"): set it, or unset it for ${fallback}.`);
  process.exit(2);
};
const loadProcesses = wholeNumber('LOAD_PROCESSES', availableParallelism(), 0);
const runs = wholeNumber('LOAD_RUNS', 1, 1);
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

const burners = Array.from({ length: loadProcesses }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const summaries = [];
for (let index = 1; index <= runs; index += 1) {
  const report = join(root, 'test-results', `under-load-${index}.json`);
  const loads = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000);
  const started = Date.now();
  console.log(`\n== run ${index} of ${runs}, ${loadProcesses} busy processes beside it (${new Date().toISOString()})`);
  // Asynchronous, so that the load sampler keeps ticking while the suite runs.
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [vitest, 'run', '--project', 'integration', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
      { cwd: root, stdio: 'inherit' },
    );
    child.on('close', (status) => resolve(status ?? 1));
  });
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  let results;
  try {
    results = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    results = undefined;
  }
  const failed = [];
  for (const file of results?.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') failed.push(`${file.name.replace(`${root}/`, '')} > ${test.fullName}`);
    }
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')) {
      failed.push(`${file.name.replace(`${root}/`, '')} (the file failed: ${String(file.message ?? '').split('\n')[0]})`);
    }
  }
  const meanLoad = loads.length ? loads.reduce((sum, value) => sum + value, 0) / loads.length : loadavg()[0];
  summaries.push({
    index,
    code,
    passed: results?.numPassedTests ?? 0,
    failed: results ? results.numFailedTests : Number.NaN,
    skipped: (results?.numPendingTests ?? 0) + (results?.numTodoTests ?? 0),
    seconds,
    meanLoad,
    maxLoad: Math.max(0, ...loads),
    failures: failed,
  });
}
stopBurners();

console.log(`\nthe e2e suite under load (${loadProcesses} busy processes, ${availableParallelism()} cores):`);
for (const run of summaries) {
  console.log(
    `  run ${run.index}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped, exit ${run.code}, ` +
      `${run.seconds.toFixed(0)} s, load average ${run.meanLoad.toFixed(1)} (max ${run.maxLoad.toFixed(1)})`,
  );
  for (const failure of run.failures) console.log(`    FAILED ${failure}`);
}
process.exit(summaries.some((run) => run.code !== 0 || run.failed !== 0) ? 1 : 0);
