/**
 * vitest's order, except that the files known to take longest start first: on a clean clone (CI) vitest has no
 * timings and starts the largest files first, which would leave the stack matrix's small shard files to the end.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test files, by the start of their path, in the order they should start; the rest follow in vitest's order. */
const HEAVIEST = ['test/e2e/stack-matrix-', 'test/e2e/tutorial.test.ts', 'test/e2e/containers.test.ts', 'test/e2e/deploy-containers.test.ts', 'test/e2e/package.test.ts', 'test/e2e/update.test.ts'];

const rank = (file: string): number => {
  const found = HEAVIEST.findIndex((start) => file.includes(`/${start}`));
  return found === -1 ? HEAVIEST.length : found;
};

export default class HeaviestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, order) => ({ spec, order }))
      .sort((a, b) => rank(a.spec.moduleId) - rank(b.spec.moduleId) || a.order - b.order)
      .map(({ spec }) => spec);
  }
}
