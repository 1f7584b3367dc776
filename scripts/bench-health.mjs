// A bounded loopback load test of the generated `/health` against a bare FastAPI app served the same way (one
// uvicorn process, the same host, `log_config=None` as the generated web server passes, in the project's own
// environment, so the same FastAPI, Starlette, uvicorn and event loop). Node's http with keep-alive drives both in
// turns, a few seconds each; the ratio of their requests per second is printed (goal: >= 0.9). A third server, a
// generated project with the observability component (tracing, /metrics; /health itself is not traced), is driven
// the same way and compared with the bare app too.
// `node scripts/bench-health.mjs` runs it alone; BENCH_HTTP_SECONDS and BENCH_HTTP_CONNECTIONS tune it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 8);
const ROUNDS = 3;

const BARE_APP = `"""A bare FastAPI app: one route, nothing else."""

import sys

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_config=None)
`;

function must(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(agent, port) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
    });
    request.once('error', reject);
  });
}

async function waitUntilServing(port, child) {
  const deadline = Date.now() + 30_000;
  const agent = new http.Agent({ keepAlive: false });
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server on port ${port} exited (${child.exitCode})`);
    try {
      if ((await get(agent, port)) === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nothing served /health on port ${port} within 30 s`);
}

/** The CPU time (user + system, seconds) a process has used so far, from /proc on Linux; undefined elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Requests per second over `seconds`, `connections` keep-alive connections each sending one request after another,
 * and the server's CPU time per request (microseconds): on a shared machine the second moves less with the load.
 */
async function load(port, seconds, connections, pid) {
  const cpuBefore = cpuSeconds(pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const status = await get(agent, port);
        if (status === 200) done += 1;
        else failed += 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = cpuSeconds(pid);
  agent.destroy();
  if (failed) throw new Error(`${failed} requests to port ${port} did not answer 200`);
  const cpuPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) / done) * 1e6;
  return { rate: done / elapsed, cpuPerRequest };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function healthFigures(bin) {
  const uv = spawnSync('uv', ['--version'], { encoding: 'utf8' });
  if (uv.status !== 0) {
    console.log('/health load test: skipped (needs uv)');
    return;
  }
  const cwd = mkdtempSync(join(tmpdir(), 'aegis-bench-health-'));
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.VIRTUAL_ENV;
  const servers = [];
  try {
    must(process.execPath, [bin, 'init', 'healthbench', '--yes', '--skip-install', '--skip-git', '--python-version', '3.11'], { cwd });
    const project = join(cwd, 'healthbench');
    must('uv', ['sync', '--quiet'], { cwd: project, env });
    must(process.execPath, [bin, 'init', 'obsbench', '--yes', '--skip-install', '--skip-git', '--python-version', '3.11', '--components', 'observability'], { cwd });
    const observed = join(cwd, 'obsbench');
    must('uv', ['sync', '--quiet'], { cwd: observed, env });
    writeFileSync(join(project, 'bare_app.py'), BARE_APP);
    const start = async (args, dir = project) => {
      const port = await freePort();
      const child = spawn(join(dir, '.venv', 'bin', 'python'), args(port), { cwd: dir, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
      servers.push(child);
      await waitUntilServing(port, child);
      return { port, pid: child.pid };
    };
    // The generated server as `make serve` runs it, without --reload: the default settings (development).
    const running = {
      generated: await start(() => ['-m', 'app.entrypoints.webserver']),
      observability: await start(() => ['-m', 'app.entrypoints.webserver'], observed),
      bare: await start((port) => ['bare_app.py', String(port)]),
    };
    const names = Object.keys(running);
    const figures = Object.fromEntries(names.map((name) => [name, []]));
    for (const name of names) await load(running[name].port, 0.5, CONNECTIONS, running[name].pid);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of names) figures[name].push(await load(running[name].port, SECONDS, CONNECTIONS, running[name].pid));
    }
    const rate = (name) => median(figures[name].map((figure) => figure.rate));
    const cpu = (name) => (figures[name][0].cpuPerRequest === undefined ? undefined : median(figures[name].map((figure) => figure.cpuPerRequest)));
    const line = (name, label) =>
      `  ${label.padEnd(36)} ${rate(name).toFixed(0).padStart(6)} req/s (rounds: ${figures[name].map((figure) => figure.rate.toFixed(0)).join(', ')})` +
      (cpu(name) === undefined ? '' : `, ${cpu(name).toFixed(0)} µs of server CPU per request`);
    const verdict = (name, label) => {
      const ratio = rate(name) / rate('bare');
      const cpuRatio = cpu('bare') === undefined ? undefined : cpu('bare') / cpu(name);
      return (
        `  ${label}: ratio ${ratio.toFixed(2)} by requests per second` +
        (cpuRatio === undefined ? '' : `, ${cpuRatio.toFixed(2)} by server CPU per request`) +
        ` (goal >= 0.9, judged by CPU per request where measured): ${(cpuRatio ?? ratio) >= 0.9 ? 'ok' : 'UNDER'}`
      );
    };
    console.log(
      `/health load test: ${CONNECTIONS} keep-alive connections, ${ROUNDS} rounds of ${SECONDS} s each, in turns (medians)\n` +
        `${line('generated', 'generated /health (default settings)')}\n` +
        `${line('observability', 'with observability /health')}\n${line('bare', 'bare FastAPI /health')}\n` +
        `${verdict('generated', 'generated')}\n${verdict('observability', 'with observability')}`,
    );
  } finally {
    for (const child of servers) child.kill('SIGTERM');
    rmSync(cwd, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await healthFigures(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'aegis.js'));
}
