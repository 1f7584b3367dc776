import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEnvironment, type Machine, NODE_END_OF_LIFE, NODE_RANGE, nodeEndOfLife, nodeSupported } from '../../shared/project/environment-checks.js';

/** A stand-in machine: the commands in `outputs` succeed with that output, every other one is missing. */
function machine(outputs: Record<string, string>, overrides: Partial<Machine> = {}): Machine {
  return {
    nodeVersion: 'v22.18.0',
    run: (command, args) => outputs[[command, ...args].join(' ')],
    uv: () => (outputs['uv --version'] ? 'uv' : undefined),
    exists: (path) => path.endsWith('/.ssh/id_ed25519') && 'key' in outputs,
    home: '/home/dev',
    now: () => new Date('2026-12-06T12:00:00Z'),
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
    expect(['v22.18.0', 'v22.23.5', 'v24.11.0', 'v24.22.3', 'v25.0.0', 'v26.1.0'].map(nodeSupported)).toEqual([true, true, true, true, true, true]);
    expect(['v18.20.0', 'v20.20.2', 'v22.17.1', 'v23.11.0', 'v24.10.0'].map(nodeSupported)).toEqual([false, false, false, false, false]);
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

  it('warns (does not fail) on a supported Node past its end of life, and names the fix', () => {
    expect(NODE_END_OF_LIFE).toMatchObject({ 18: '2025-04-30', 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30', 25: '2026-06-01' });
    // Node 25 is in the engines range (>=24.11.0) but past its end of life (an odd major, 2026-06-01).
    const node25 = checkEnvironment(machine(EVERYTHING, { nodeVersion: 'v25.2.1' }));
    expect(statuses(node25)).toEqual({ node: 'warn', uv: 'ok', python: 'ok', git: 'ok', 'ssh key': 'ok', docker: 'ok' });
    expect(node25[0]).toMatchObject({ detail: expect.stringContaining('v25.2.1 reached its end of life on 2026-06-01'), fix: 'install Node.js 22 or 24 LTS' });
    for (const version of ['v22.18.0', 'v24.11.1', 'v27.0.0']) {
      expect(checkEnvironment(machine(EVERYTHING, { nodeVersion: version }))[0], version).toMatchObject({ status: 'ok' });
    }
    // An end-of-life Node outside the range (20, which the bin refuses to start on anyway) fails.
    for (const version of ['v18.20.4', 'v20.20.2']) {
      expect(checkEnvironment(machine(EVERYTHING, { nodeVersion: version }))[0], version).toMatchObject({ status: 'fail', fix: 'install Node.js 22 or 24 LTS' });
    }
  });

  it('dates end of life by the table: the last day is still supported', () => {
    expect(nodeEndOfLife('v20.20.2', new Date('2026-04-30T23:59:59Z'))).toBeUndefined();
    expect(nodeEndOfLife('v20.20.2', new Date('2026-05-01T00:00:00Z'))).toBe('2026-04-30');
    expect(nodeEndOfLife('v22.9.0', new Date('2026-12-06T00:00:00Z'))).toBeUndefined();
    expect(nodeEndOfLife('v22.9.0', new Date('2027-05-01T00:00:00Z'))).toBe('2027-04-30');
    expect(nodeEndOfLife('v24.1.0', new Date('2028-05-01T00:00:00Z'))).toBe('2028-04-30');
    expect(nodeEndOfLife('v99.0.0', new Date('2099-01-01T00:00:00Z'))).toBeUndefined();
  });
});
