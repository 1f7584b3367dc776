/**
 * Convergence and round trips of the engine over the stack matrix, in memory: every dependent pair reached three
 * ways, and every feature variant added and removed again from several starting stacks.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureRequest } from '../../shared/model/feature-request.js';
import { addFeatures, resolveSelection } from '../../shared/model/feature-selection.js';
import { addToProject, initProject, removeFromProject, snapshot } from '../support/memory-project.js';
import { OPTIONAL_FEATURES, PAIR_STACKS, STACKS, findStack, variants, withoutFeature } from '../support/stack-matrix.js';

/** `database[engine=postgres]`: the options that differ from the defaults. */
const label = (request: FeatureRequest): string => {
  const spec = OPTIONAL_FEATURES.find((feature) => feature.name === request.name)!;
  const options = spec.options.filter((option) => request.options[option.name] !== option.default);
  const given = options.map((option) => `${option.name}=${request.options[option.name]}`);
  return given.length ? `${request.name}[${given.join(',')}]` : request.name;
};

/** The matrix's dependent pairs, then every other two features at their defaults (cheap in memory). */
const dependent = PAIR_STACKS.map((entry) => entry.requests);
const seen = new Set(dependent.map(([a, b]) => [a.name, b.name].sort().join(' ')));
const independent = OPTIONAL_FEATURES.flatMap((a, index) =>
  OPTIONAL_FEATURES.slice(index + 1)
    .filter((b) => !seen.has([a.name, b.name].sort().join(' ')))
    .map((b): readonly [FeatureRequest, FeatureRequest] => [variantRequest(a.name), variantRequest(b.name)]),
);

function variantRequest(name: string): FeatureRequest {
  return { name, options: variants(OPTIONAL_FEATURES.find((feature) => feature.name === name)!)[0]!.options };
}

describe.each([...dependent, ...independent].map((requests) => ({ requests, name: `${label(requests[0])} × ${label(requests[1])}` })))(
  'the pair $name',
  ({ requests: [a, b] }) => {
    it('converges: init A,B ≡ init A + add B ≡ init B + add A (byte for byte)', () => {
      const together = snapshot(initProject([a, b]));
      expect(snapshot(addToProject(initProject([a]), [b]))).toEqual(together);
      expect(snapshot(addToProject(initProject([b]), [a]))).toEqual(together);
    });
  },
);

const BASES = ['base', ...STACKS.filter((stack) => stack.kind === 'everything').map((stack) => stack.name)];
const EMPTY = { components: [], services: [], options: {} };

/**
 * Whether the selection refuses adding `request` to the base without it: an option value requiring another
 * feature's option the base chose otherwise (`scheduler[persistence=postgres]` on `database[engine=sqlite]`).
 */
function refused(request: FeatureRequest, base: string): boolean {
  const requests = withoutFeature(findStack(base).requests, request.name);
  try {
    addFeatures(addFeatures(EMPTY, requests).selection, [request]);
    return false;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Conflicting options:')) return true;
    throw error;
  }
}

const roundTrips = OPTIONAL_FEATURES.flatMap((feature) =>
  variants(feature).flatMap((variant) =>
    BASES.map((base) => {
      const request = { name: feature.name, options: variant.options };
      return { request, base, refused: refused(request, base) };
    }),
  ),
);

describe.each(roundTrips.filter((trip) => !trip.refused).map((trip) => ({ ...trip, name: `${label(trip.request)} from ${trip.base}` })))(
  'round trip of $name',
  ({ request, base }) => {
    it('add X then remove X gives the tree before (byte for byte)', () => {
      const stack = findStack(base);
      const before = initProject(withoutFeature(stack.requests, request.name), stack.pythonVersion);
      const present = resolveSelection(before.state.answers, before.state.answers.options).features.map((f) => f.name);
      expect(present).not.toContain(request.name);
      const added = addToProject(before, [request]);
      expect(snapshot(added)).not.toEqual(snapshot(before));
      expect(snapshot(removeFromProject(added, [request.name]))).toEqual(snapshot(before));
    });
  },
);

describe.each(roundTrips.filter((trip) => trip.refused).map((trip) => ({ ...trip, name: `${label(trip.request)} on ${trip.base}` })))(
  'refused add of $name',
  ({ request, base }) => {
    it('is refused naming the conflict and the fix, the project unchanged', () => {
      const stack = findStack(base);
      const before = initProject(withoutFeature(stack.requests, request.name), stack.pythonVersion);
      const tree = snapshot(before);
      expect(() => addToProject(before, [request])).toThrow(/^Conflicting options: .* To change it, name it in the same command: "\w+\[\w+=[\w,-]+\]"\.$/);
      expect(snapshot(before)).toEqual(tree);
    });
  },
);
