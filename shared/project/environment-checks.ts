import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { currentHost, findExecutable, spawnSyncExecutable } from './executables.js';
import { resolveUv } from './install.js';
import { DEFAULT_PYTHON_VERSION, SUPPORTED_PYTHON_VERSIONS } from '../model/python-versions.js';
import { NODE_RANGE, nodeSupported } from '../node-version.js';

export { NODE_RANGE, nodeSupported };

/** `fail`: a generator command cannot work; `warn`: one feature (deploy, update's git safety, Docker) cannot. */
export interface EnvironmentCheck {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
  readonly fix?: string;
}

/** What the checks look at, so that tests can stand in for the machine. */
export interface Machine {
  readonly nodeVersion: string;
  /** stdout of a command that exited 0, or undefined when it is missing or failed. */
  run(command: string, args: readonly string[]): string | undefined;
  uv(): string | undefined;
  exists(path: string): boolean;
  readonly home: string;
  /** Today, for the Node end-of-life check. */
  now(): Date;
}

/**
 * The last day of security fixes per Node.js major (https://github.com/nodejs/Release): an LTS line 30 months after
 * its release, an odd one at the next even one's LTS. A major not listed is newer than the table and not warned of.
 */
export const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
  18: '2025-04-30',
  19: '2023-06-01',
  20: '2026-04-30',
  21: '2024-06-01',
  22: '2027-04-30',
  23: '2025-06-01',
  24: '2028-04-30',
  25: '2026-06-01',
  26: '2029-04-30',
};

/** The end-of-life day of `version`'s major when `today` is past it, else undefined. */
export function nodeEndOfLife(version: string, today: Date): string | undefined {
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  const endOfLife = NODE_END_OF_LIFE[major];
  // Past the whole last day, in UTC.
  return endOfLife !== undefined && today.getTime() >= Date.parse(`${endOfLife}T00:00:00Z`) + 86_400_000 ? endOfLife : undefined;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export function checkEnvironment(machine: Machine): EnvironmentCheck[] {
  const checks: EnvironmentCheck[] = [];
  const endOfLife = nodeEndOfLife(machine.nodeVersion, machine.now());
  checks.push(
    !nodeSupported(machine.nodeVersion)
      ? { name: 'node', status: 'fail', detail: `${machine.nodeVersion} is not supported (needs ${NODE_RANGE})`, fix: 'install Node.js 22 or 24 LTS' }
      : endOfLife
        ? {
            name: 'node',
            status: 'warn',
            detail: `${machine.nodeVersion} reached its end of life on ${endOfLife}: it gets no security fixes (aegis still runs on it)`,
            fix: 'install Node.js 22 or 24 LTS',
          }
        : { name: 'node', status: 'ok', detail: `${machine.nodeVersion} (needs ${NODE_RANGE})` },
  );

  const uv = machine.uv();
  const uvVersion = uv ? machine.run(uv, ['--version']) : undefined;
  if (!uv || !uvVersion) {
    checks.push({
      name: 'uv',
      status: 'fail',
      detail: 'not found: generated projects are installed and run with uv',
      fix: 'pip install uv, or curl -LsSf https://astral.sh/uv/install.sh | sh',
    });
  } else {
    checks.push({ name: 'uv', status: 'ok', detail: `${firstLine(uvVersion)} (${uv})` });
    const found = SUPPORTED_PYTHON_VERSIONS.filter((version) => machine.run(uv, ['python', 'find', '--no-python-downloads', version]));
    const hasDefault = found.includes(DEFAULT_PYTHON_VERSION);
    checks.push(
      found.length === 0
        ? { name: 'python', status: 'fail', detail: `none of ${SUPPORTED_PYTHON_VERSIONS.join(', ')} is installed`, fix: `uv python install ${DEFAULT_PYTHON_VERSION}` }
        : {
            name: 'python',
            status: hasDefault ? 'ok' : 'warn',
            detail: `${found.join(', ')} installed${hasDefault ? '' : `; the default ${DEFAULT_PYTHON_VERSION} is not (uv downloads it on first use where it can)`}`,
            ...(hasDefault ? {} : { fix: `uv python install ${DEFAULT_PYTHON_VERSION}, or init with --python-version ${found.at(-1)}` }),
          },
    );
  }

  const git = machine.run('git', ['--version']);
  checks.push(
    git
      ? { name: 'git', status: 'ok', detail: firstLine(git) }
      : { name: 'git', status: 'warn', detail: 'not found: aegis update uses it for its backup point and to register conflicts', fix: 'apt-get install git (or your platform\u2019s package)' },
  );

  const ssh = machine.run('ssh', ['-V']) ?? machine.run('ssh', ['-G', 'localhost']);
  const keys = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(machine.home, '.ssh', name)).filter((path) => machine.exists(path));
  if (!ssh) {
    checks.push({ name: 'ssh', status: 'warn', detail: 'no ssh client: needed for aegis deploy-shell', fix: 'apt-get install openssh-client' });
  }
  checks.push(
    keys.length
      ? { name: 'ssh key', status: 'ok', detail: `${keys[0]} (deploy authenticates with keys only)` }
      : { name: 'ssh key', status: 'warn', detail: `no key in ${join(machine.home, '.ssh')}: aegis deploy authenticates with keys only`, fix: 'ssh-keygen -t ed25519' },
  );

  const docker = machine.run('docker', ['--version']);
  checks.push(
    docker
      ? { name: 'docker', status: 'ok', detail: firstLine(docker) }
      : { name: 'docker', status: 'warn', detail: 'not found: make docker-up, make redis and make postgres use docker compose', fix: 'https://docs.docker.com/engine/install/' },
  );
  return checks;
}

/** This machine, as `aegis doctor` sees it. */
export const thisMachine: Machine = {
  nodeVersion: process.version,
  run(command, args) {
    // Found on PATH as Windows would (git.exe, a .cmd), and a batch file run through cmd.exe.
    const file = findExecutable(command, currentHost());
    if (!file) return undefined;
    const result = spawnSyncExecutable(file, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
    if (result.error || result.status !== 0) return undefined;
    // `ssh -V` prints to stderr.
    return `${result.stdout}${result.stderr}` || ' ';
  },
  uv: () => resolveUv(),
  exists: existsSync,
  home: homedir(),
  now: () => new Date(),
};
