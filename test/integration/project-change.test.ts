import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { addFeatures, removeFeatures } from '../../shared/model/feature-selection.js';
import { planProjectChange } from '../../shared/engine/project-change.js';
import type { ProjectState } from '../../shared/model/project-state.js';
import { render } from '../../shared/engine/render.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-change-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const base: ProjectState = { version: '1.0.0', answers: normalizeAnswers({ name: 'demo' }) };
const withScheduler: ProjectState = {
  ...base,
  answers: { ...base.answers, ...addFeatures(base.answers, [{ name: 'scheduler', options: {} }]).selection },
};
const SHARED_FILES = [
  'Makefile',
  'pyproject.toml',
  'docker-compose.yml',
  '.env.example',
  'README.md',
  'app/core/config.py',
  'app/services/system/checks.py',
  'app/components/backend/api/routing.py',
];

let count = 0;
function writeProject(state: ProjectState, edit?: { path: string; at: number; line: string }): string {
  const root = join(scratch, `p${(count += 1)}`);
  for (const [path, contents] of render(state.answers, { generatorVersion: state.version })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    let text = contents as string;
    if (edit && edit.path === path) {
      const lines = text.split('\n');
      lines.splice(edit.at % lines.length, 0, edit.line);
      text = lines.join('\n');
    }
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('planProjectChange', () => {
  it('on an untouched project, gives exactly the difference between the two renders', () => {
    const root = writeProject(base);
    const changes = planProjectChange({ root, before: base, after: withScheduler });
    const expected = render(withScheduler.answers, { generatorVersion: '1.0.0' });
    for (const change of changes) expect(change.after, change.path).toBe(expected.get(change.path));
    expect(changes.every((change) => ['create', 'update'].includes(change.action))).toBe(true);
  });

  it('property: a line the user inserted anywhere in a shared file survives add and remove (merged or marked)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHARED_FILES), fc.nat(400), fc.boolean(), (path, at, adding) => {
        const line = `# user line ${at}`;
        const [before, after] = adding ? [base, withScheduler] : [withScheduler, base];
        const root = writeProject(before, { path, at, line });
        const change = planProjectChange({ root, before, after }).find((candidate) => candidate.path === path);
        if (!change) return;
        expect(['update', 'merge', 'conflict']).toContain(change.action);
        expect(change.action).not.toBe('update');
        expect(change.after).toContain(`${line}\n`);
      }),
      // A sample on disk: test/unit/user-lines.test.ts runs the property in memory over every feature variant.
      { numRuns: 30 },
    );
  });

  it('removes what the component added and nothing the user wrote', () => {
    const root = writeProject(withScheduler);
    writeFileSync(join(root, 'app/services/billing.py'), 'RATE = 1\n');
    const changes = planProjectChange({
      root,
      before: withScheduler,
      after: { ...withScheduler, answers: { ...withScheduler.answers, ...removeFeatures(withScheduler.answers, ['scheduler']).selection } },
    });
    expect(changes.filter((change) => change.action === 'delete').map((change) => change.path)).toEqual([
      'app/components/scheduler.py',
      'app/components/scheduler_health.py',
      'app/entrypoints/scheduler.py',
      'tests/test_scheduler.py',
      'tests/test_scheduler_entrypoint.py',
      'tests/test_scheduler_health.py',
    ]);
    expect(changes.some((change) => change.path === 'app/services/billing.py')).toBe(false);
  });
});
