import { type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const builtBin = join(repoRoot, 'dist', 'cli', 'aegis.js');

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): Ran {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs and fails with the command's output when it exits non-zero. */
export function mustRun(command: string, args: readonly string[], options: SpawnSyncOptions = {}): Ran {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `aegis-${prefix}-`));
}

/** Every file under `dir` (relative path → contents), for byte-for-byte comparisons of whole trees. */
export function readTree(dir: string, skip: (path: string) => boolean = () => false): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const rel = relative(dir, path);
      if (skip(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(rel, readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/**
 * A port nothing listened on a moment ago. Only for a server that cannot bind port 0 and report what it got: another
 * process may take the port before the caller binds it, so the caller must retry on EADDRINUSE (`serveOnFreePort`,
 * `startSshServer`).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A loopback port that refuses connections and that no other process can take while it is held: a socket bound to
 * it and never listening (a helper python3 holds it, as Node cannot bind TCP without listening). `release()` frees it.
 */
export async function refusingPort(): Promise<{ port: number; release(): Promise<void> }> {
  const holder = start(
    'python3',
    ['-c', 'import signal, socket\ns = socket.socket()\ns.bind(("127.0.0.1", 0))\nprint(s.getsockname()[1], flush=True)\nsignal.pause()'],
    { cwd: tmpdir(), env: process.env },
  );
  const [, port] = await waitForOutput(holder, /^(\d+)$/m, 10_000);
  return { port: Number(port), release: async () => void (await holder.stop()) };
}

/** Starts a long-running process; `stop()` ends it and its children. */
export function start(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
    exited,
    /** Sends SIGTERM to the process group (SIGKILL after 10 s) and returns the exit code (null when killed). */
    async stop(): Promise<number | null> {
      if (child.exitCode !== null || child.pid === undefined) return child.exitCode;
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Waits until the process's output (stdout and stderr) matches `pattern` and returns the match; fails when the process
 * ends first or `timeoutMs` passes.
 */
export async function waitForOutput(
  started: { output(): string; exited: Promise<number | null> },
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  let ended = false;
  void started.exited.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const finished = ended;
    // Output may still be on its way when the process has just ended: one more look after a moment.
    if (finished) await new Promise((resolve) => setTimeout(resolve, 100));
    const match = pattern.exec(started.output());
    if (match) return match;
    if (finished) throw new Error(`the process ended before printing ${pattern}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the output within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type Started = ReturnType<typeof start>;

/**
 * Starts a server told its port on a free one and waits until `probe(port)` resolves. The port is picked before the
 * server binds it, and another process may take it in between: the server then exits saying the address is in use,
 * and is started again on another port (up to 5 times). Any other early exit, or no answer within `timeoutMs`, stops
 * it and fails with its output.
 */
async function startOnFreePort<T>(
  launch: (port: number) => Started,
  probe: (port: number) => Promise<T>,
  where: (port: number) => string,
  timeoutMs: number,
): Promise<{ server: Started; port: number; answer: T }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const server = launch(port);
    let ended = false;
    void server.exited.then(() => (ended = true));
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      if (ended) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (attempt < 5 && /address already in use|EADDRINUSE|Errno 98/i.test(server.output())) break;
        throw new Error(`the server ended before answering on port ${port}:\n${server.output()}`);
      }
      try {
        return { server, port, answer: await probe(port) };
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`${where(port)} did not answer within ${timeoutMs} ms: ${String(lastError)}\n${server.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Starts a server told its port (the generated app reads PORT) on a free one and waits until `path` answers there
 * (see startOnFreePort: started again on another port when the picked one was taken meanwhile).
 */
export async function serveOnFreePort(
  launch: (port: number) => Started,
  path: string,
  timeoutMs: number,
): Promise<{ server: Started; port: number; response: Response }> {
  const { server, port, answer } = await startOnFreePort(
    launch,
    (port) => fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) }),
    (port) => `http://127.0.0.1:${port}${path}`,
    timeoutMs,
  );
  return { server, port, response: answer };
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` (no answer within 5 s: no). */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Starts a server of any protocol (SMTP, …) told its port on a free one and waits until the port accepts connections
 * (see startOnFreePort: started again on another port when the picked one was taken meanwhile).
 */
export async function listenOnFreePort(launch: (port: number) => Started, timeoutMs: number): Promise<{ server: Started; port: number }> {
  const accepts = async (port: number): Promise<void> => {
    if (!(await listening(port))) throw new Error('connection refused');
  };
  const { server, port } = await startOnFreePort(launch, accepts, (port) => `127.0.0.1:${port}`, timeoutMs);
  return { server, port };
}

/** Polls `url` until it answers (any status) or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}
