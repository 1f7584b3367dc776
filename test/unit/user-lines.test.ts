/**
 * In memory, the property test/integration/project-change.test.ts checks on disk: a line the user inserted
 * anywhere in a file that both renders have and the change rewrites survives the add or remove (merged, or inside
 * conflict markers). The files come from the two renders, for every feature variant of the matrix.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFeatures, removeFeatures } from '../../shared/model/feature-selection.js';
import { STATE_FILE } from '../../shared/model/project-state.js';
import type { ProjectAnswers } from '../../shared/model/answers.js';
import { reconcileFile } from '../../shared/engine/reconcile.js';
import type { RenderedTree } from '../../shared/engine/render.js';
import { renderAnswers } from '../support/memory-project.js';
import { OPTIONAL_FEATURES, findStack, stackAnswers, variants } from '../support/stack-matrix.js';

const base = stackAnswers(findStack('base'));

interface Change {
  readonly label: string;
  readonly before: RenderedTree;
  readonly after: RenderedTree;
  /** Text files in both renders whose contents the change rewrites. */
  readonly shared: readonly string[];
}

function withSelection(answers: ProjectAnswers, selection: Omit<ProjectAnswers, 'name' | 'description' | 'pythonVersion'>): ProjectAnswers {
  return { ...answers, components: selection.components, services: selection.services, options: selection.options };
}

const changes: Change[] = OPTIONAL_FEATURES.flatMap((feature) =>
  variants(feature).flatMap((variant) => {
    const added = withSelection(base, addFeatures(base, [{ name: feature.name, options: variant.options }]).selection);
    const removed = withSelection(added, removeFeatures(added, [feature.name]).selection);
    const without = renderAnswers(removed);
    const withIt = renderAnswers(added);
    const shared = [...without.keys()].filter(
      (path) => path !== STATE_FILE && typeof without.get(path) === 'string' && withIt.has(path) && withIt.get(path) !== without.get(path),
    );
    const label = `${feature.name} ${JSON.stringify(variant.options)}`;
    return [
      { label: `add ${label}`, before: without, after: withIt, shared },
      { label: `remove ${label}`, before: withIt, after: without, shared },
    ];
  }),
);

describe('user lines through add and remove, in memory', () => {
  it('every change rewrites some shared file', () => {
    for (const change of changes) expect(change.shared.length, change.label).toBeGreaterThan(0);
  });

  it('property: a line the user inserted anywhere in a rewritten shared file survives (merged or marked)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...changes).chain((change) => fc.tuple(fc.constant(change), fc.constantFrom(...change.shared))),
        fc.nat(400),
        ([change, path], at) => {
          const line = `# user line ${at}`;
          const lines = (change.before.get(path) as string).split('\n');
          lines.splice(at % lines.length, 0, line);
          const ours = lines.join('\n');
          const result = reconcileFile(path, change.before.get(path), change.after.get(path), ours);
          expect(result, `${change.label}: ${path}`).toBeDefined();
          expect(['merge', 'conflict']).toContain(result!.action);
          expect(result!.after).toContain(`${line}\n`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
