import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEnvironment, type Machine, NODE_RANGE, nodeSupported } from '../../shared/project/environment-checks.js';

/** A stand-in machine: the commands in `outputs` succeed with that output, every other one is missing. */
function machine(outputs: Record<string, string>, overrides: Partial<Machine> = {}): Machine {
  return {
    nodeVersion: 'v22.11.0',
    run: (command, args) => outputs[[command, ...args].join(' ')],
    uv: () => (outputs['uv --version'] ? 'uv' : undefined),
    exists: (path) => path.endsWith('/.ssh/id_ed25519') && 'key' in outputs,
    home: '/home/dev',
    ...overrides,
  };
}

const EVERYTHING = {
  'uv --version': 'uv 0.13.9',
  'uv python find --no-python-downloads 3.12': '/usr/bin/python3.12',
  'uv python find --no-python-downloads 3.13': '/usr/bin/python3.13',
  'git --version': 'git version 2.47.0',
  'ssh -V': 'OpenSSH_9.6p1',
  'docker --version': 'Docker version 28.2.2',
  key: '',
};

const statuses = (checks: ReturnType<typeof checkEnvironment>) => Object.fromEntries(checks.map((check) => [check.name, check.status]));

describe('aegis doctor checks', () => {
  it('declares the same Node range as package.json, and applies it', () => {
    const engines = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines.node;
    expect(NODE_RANGE).toBe(engines);
    expect(['v20.17.0', 'v20.20.2', 'v22.9.0', 'v24.1.0'].map(nodeSupported)).toEqual([true, true, true, true]);
    expect(['v18.20.0', 'v20.16.0', 'v21.7.0', 'v22.8.0'].map(nodeSupported)).toEqual([false, false, false, false]);
  });

  it('is all ok on a complete machine', () => {
    const checks = checkEnvironment(machine(EVERYTHING));
    expect(statuses(checks)).toEqual({ node: 'ok', uv: 'ok', python: 'ok', git: 'ok', 'ssh key': 'ok', docker: 'ok' });
    expect(checks.find((check) => check.name === 'python')?.detail).toBe('3.12, 3.13 installed');
  });

  it('fails without uv or a supported Node, and says how to get them', () => {
    const { 'uv --version': _uv, ...noUv } = EVERYTHING;
    const checks = checkEnvironment(machine(noUv, { nodeVersion: 'v18.19.0' }));
    expect(statuses(checks)).toMatchObject({ node: 'fail', uv: 'fail' });
    expect(checks.find((check) => check.name === 'uv')?.fix).toContain('pip install uv');
    expect(checks.find((check) => check.name === 'node')?.fix).toContain('Node.js 22');
  });

  it('warns, naming the fix, when only a feature is affected: no default Python, git, ssh key or docker', () => {
    const checks = checkEnvironment(machine({ 'uv --version': 'uv 0.13.9', 'uv python find --no-python-downloads 3.11': '/usr/bin/python3.11' }));
    expect(statuses(checks)).toEqual({ node: 'ok', uv: 'ok', python: 'warn', git: 'warn', ssh: 'warn', 'ssh key': 'warn', docker: 'warn' });
    expect(checks.find((check) => check.name === 'python')?.fix).toBe('uv python install 3.13, or init with --python-version 3.11');
    expect(checks.find((check) => check.name === 'ssh key')?.fix).toBe('ssh-keygen -t ed25519');
  });

  it('fails when uv finds no supported Python at all', () => {
    const checks = checkEnvironment(machine({ 'uv --version': 'uv 0.13.9' }));
    expect(checks.find((check) => check.name === 'python')).toMatchObject({ status: 'fail', fix: 'uv python install 3.13' });
  });
});
