// Generates a project with the worker, installs it, starts one `load_test` worker and runs the project's own
// `load-test run` for each job kind, printing its throughput and latency.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export async function loadTestFigures(bin) {
  const uv = spawnSync('uv', ['--version'], { encoding: 'utf8' });
  if (uv.status !== 0 || !(await reachable(redisUrl))) {
    console.log(`load test: skipped (needs uv and a Redis at ${redisUrl})`);
    return;
  }
  const cwd = mkdtempSync(join(tmpdir(), 'aegis-bench-load-'));
  const env = { ...process.env, REDIS_URL: redisUrl, WORKER_QUEUE_PREFIX: `bench-${process.pid}`, NO_COLOR: '1' };
  delete env.VIRTUAL_ENV;
  let worker;
  try {
    must(process.execPath, [bin, 'init', 'loadbench', '--yes', '--skip-install', '--python-version', '3.11', '--components', 'worker'], { cwd });
    const project = join(cwd, 'loadbench');
    must('uv', ['sync', '--quiet'], { cwd: project, env });
    const python = join(project, '.venv', 'bin', 'python');
    worker = spawn(python, ['-m', 'app.entrypoints.worker', 'load_test'], { cwd: project, env, stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (spawnSync(python, ['-m', 'app.entrypoints.worker', 'load_test', '--check'], { cwd: project, env }).status !== 0) {
      if (Date.now() > deadline) throw new Error('the load_test worker did not start within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(`load test: ${COUNT} jobs per kind, one load_test worker process (the queue runs 20 jobs at a time), Redis at ${redisUrl}`);
    for (const kind of ['io', 'cpu', 'memory']) {
      const out = must(python, ['-m', 'app.cli.main', 'load-test', 'run', '--count', String(COUNT), '--kind', kind, '--json'], {
        cwd: project,
        env,
      });
      const report = JSON.parse(out);
      console.log(
        `  ${kind.padEnd(7)} ${report.jobs_per_second.toFixed(0).padStart(6)} jobs/s  latency p50 ${report.latency_p50_ms.toFixed(0)} ms, p95 ${report.latency_p95_ms.toFixed(0)} ms  (${report.completed}/${report.count} completed, size ${report.size})`,
      );
    }
  } finally {
    worker?.kill('SIGTERM');
    rmSync(cwd, { recursive: true, force: true });
  }
}
