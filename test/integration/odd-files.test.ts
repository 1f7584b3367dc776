/**
 * Odd files on a real disk, through the planner and the all-or-nothing apply that every command uses: bytes that
 * are not UTF-8, symbolic links (dangling, pointing out of the project, on a folder of the path) and a
 * 150,000-line file. The user's bytes stay exactly, and nothing outside the project is created or changed.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { applyChanges } from '../../shared/engine/apply-changes.js';
import { addFeatures } from '../../shared/model/feature-selection.js';
import { planProjectChange } from '../../shared/engine/project-change.js';
import type { ProjectState } from '../../shared/model/project-state.js';
import { contentBytes } from '../../shared/engine/reconcile.js';
import { render } from '../../shared/engine/render.js';
import { tempDir } from '../support/processes.js';
import { snapshotDifferences, snapshotTree } from '../support/tree-snapshot.js';

const scratch = tempDir('odd-files');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const base: ProjectState = { version: '1.0.0', answers: normalizeAnswers({ name: 'demo' }) };
const adding = (name: string): ProjectState => ({
  ...base,
  answers: { ...base.answers, ...addFeatures(base.answers, [{ name, options: {} }]).selection },
});

let count = 0;
function writeProject(): string {
  const root = join(scratch, `p${(count += 1)}`);
  for (const [path, contents] of render(base.answers, { generatorVersion: base.version })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contentBytes(contents));
  }
  return root;
}

function change(root: string, after: ProjectState) {
  const changes = planProjectChange({ root, before: base, after });
  applyChanges(root, changes);
  return changes;
}

describe('odd files', () => {
  it('bytes that are not UTF-8 are kept exactly: a conflict without markers, never a replacement character', () => {
    const root = writeProject();
    const file = join(root, '.env.example');
    const mine = Buffer.concat([readFileSync(file), Buffer.from('# caf\xe9 user line\n', 'latin1')]);
    writeFileSync(file, mine);
    const changes = change(root, adding('redis'));
    const envChange = changes.find((candidate) => candidate.path === '.env.example')!;
    expect(envChange.action).toBe('conflict');
    expect(envChange.after).toBeUndefined();
    expect(envChange.reason).toMatch(/not valid UTF-8/);
    expect(readFileSync(file).equals(mine)).toBe(true);
    expect(readFileSync(file, 'latin1')).not.toContain('\ufffd');
  });

  it('a dangling link pointing out of the project is never written through (add scheduler)', () => {
    const root = writeProject();
    const outside = join(scratch, `outside-${count}`);
    mkdirSync(outside);
    mkdirSync(join(root, 'app/components'), { recursive: true });
    symlinkSync(join(outside, 'scheduler.py'), join(root, 'app/components/scheduler.py'));
    const before = snapshotTree(outside);
    const changes = change(root, adding('scheduler'));
    const linked = changes.find((candidate) => candidate.path === 'app/components/scheduler.py')!;
    expect(linked.action).toBe('skip');
    expect(linked.reason).toMatch(/symbolic link .*never written through/);
    expect(existsSync(join(outside, 'scheduler.py'))).toBe(false);
    expect(snapshotDifferences(snapshotTree(outside), before)).toEqual([]);
    expect(readFileSync(join(root, '.yo-rc.json'), 'utf8')).toContain('"scheduler"');
  });

  it('a linked README.md and a linked folder: their targets are never rewritten', () => {
    const root = writeProject();
    const outside = join(scratch, `outside-${count}`);
    mkdirSync(outside);
    writeFileSync(join(outside, 'README.md'), readFileSync(join(root, 'README.md')));
    unlinkSync(join(root, 'README.md'));
    symlinkSync(join(outside, 'README.md'), join(root, 'README.md'));
    mkdirSync(join(outside, 'tests'));
    for (const name of ['conftest.py', '__init__.py']) writeFileSync(join(outside, 'tests', name), readFileSync(join(root, 'tests', name)));
    rmSync(join(root, 'tests'), { recursive: true });
    symlinkSync(join(outside, 'tests'), join(root, 'tests'));
    const before = snapshotTree(outside);
    const changes = change(root, adding('worker'));
    expect(changes.filter((candidate) => candidate.path.startsWith('tests/')).every((candidate) => candidate.action === 'skip')).toBe(true);
    expect(changes.find((candidate) => candidate.path === 'README.md')?.action).toBe('skip');
    expect(snapshotDifferences(snapshotTree(outside), before)).toEqual([]);
  });

  it('a Makefile linked to itself (ELOOP) is the user\'s: skipped, and the rest of the change is made', () => {
    const root = writeProject();
    unlinkSync(join(root, 'Makefile'));
    symlinkSync('Makefile', join(root, 'Makefile'));
    const changes = change(root, adding('scheduler'));
    expect(changes.find((candidate) => candidate.path === 'Makefile')?.action).toBe('skip');
    expect(readFileSync(join(root, '.yo-rc.json'), 'utf8')).toContain('"scheduler"');
  });

  it('a 150,000-line README merges with every user line kept (add database)', () => {
    const root = writeProject();
    const file = join(root, 'README.md');
    const ours = Array.from({ length: 150_000 }, (_, index) => `user line ${index}\n`).join('');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text}${ours}`);
    const changes = change(root, adding('database'));
    expect(changes.find((candidate) => candidate.path === 'README.md')?.action).toBe('merge');
    const merged = readFileSync(file, 'utf8');
    expect(merged.endsWith(ours)).toBe(true);
    expect(merged).toContain('DATABASE_URL');
  });
});
