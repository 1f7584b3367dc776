// Generates a project with the worker for each of its backends, installs it, starts one `load_test` worker and runs
// the project's own `load-test run` for each job kind, printing the backends' throughput and latency side by side.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const COUNT = Number(process.env.BENCH_LOAD_TEST_COUNT ?? 2000);

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function must(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The worker's backends (`worker[backend=…]`), from the registry the build wrote. */
async function backends() {
  const { ALL_FEATURES } = await import('../dist/shared/model/registry.js');
  const worker = ALL_FEATURES.find((feature) => feature.name === 'worker');
  return worker.options.find((option) => option.name === 'backend').values;
}

/** One backend's reports per kind: a project with `worker[backend=…]`, one load_test worker process. */
async function backendReports(bin, backend, env) {
  const cwd = mkdtempSync(join(tmpdir(), `aegis-bench-load-${backend}-`));
  let worker;
  try {
    const component = `worker[backend=${backend}]`;
    must(process.execPath, [bin, 'init', 'loadbench', '--yes', '--skip-install', '--python-version', '3.11', '--components', component], { cwd });
    const project = join(cwd, 'loadbench');
    must('uv', ['sync', '--quiet'], { cwd: project, env });
    const python = join(project, '.venv', 'bin', 'python');
    worker = spawn(python, ['-m', 'app.entrypoints.worker', 'load_test'], { cwd: project, env, stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (spawnSync(python, ['-m', 'app.entrypoints.worker', 'load_test', '--check'], { cwd: project, env }).status !== 0) {
      if (Date.now() > deadline) throw new Error(`the ${backend} load_test worker did not start within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const reports = {};
    for (const kind of KINDS) {
      const out = must(python, ['-m', 'app.cli.main', 'load-test', 'run', '--count', String(COUNT), '--kind', kind, '--json'], {
        cwd: project,
        env,
      });
      reports[kind] = JSON.parse(out);
    }
    return reports;
  } finally {
    worker?.kill('SIGTERM');
    rmSync(cwd, { recursive: true, force: true });
  }
}

const KINDS = ['io', 'cpu', 'memory'];

export async function loadTestFigures(bin) {
  const uv = spawnSync('uv', ['--version'], { encoding: 'utf8' });
  if (uv.status !== 0 || !(await reachable(redisUrl))) {
    console.log(`load test: skipped (needs uv and a Redis at ${redisUrl})`);
    return;
  }
  const env = { ...process.env, REDIS_URL: redisUrl, WORKER_QUEUE_PREFIX: `bench-${process.pid}`, NO_COLOR: '1' };
  delete env.VIRTUAL_ENV;
  const names = await backends();
  console.log(
    `load test: ${COUNT} jobs per kind, one load_test worker process per backend (the queue runs 20 jobs at a time), Redis at ${redisUrl}`,
  );
  const results = {};
  for (const backend of names) results[backend] = await backendReports(bin, backend, env);
  console.log(`  ${'kind'.padEnd(7)} ${names.map((name) => `${name} jobs/s`.padStart(16)).join(' ')}   latency p50 / p95 (ms)`);
  for (const kind of KINDS) {
    const rates = names.map((name) => results[name][kind].jobs_per_second.toFixed(0).padStart(16)).join(' ');
    const latencies = names
      .map((name) => `${name} ${results[name][kind].latency_p50_ms.toFixed(0)} / ${results[name][kind].latency_p95_ms.toFixed(0)}`)
      .join(', ');
    const completed = names.map((name) => `${results[name][kind].completed}/${results[name][kind].count}`).join(', ');
    console.log(`  ${kind.padEnd(7)} ${rates}   ${latencies}  (completed ${completed}, size ${results[names[0]][kind].size})`);
  }
}

// `node scripts/bench-load-test.mjs` (after `npm run build`): this part alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  await loadTestFigures(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'aegis.js'));
}
