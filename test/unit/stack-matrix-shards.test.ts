import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_STACKS, SAMPLED_PAIRS, STACK_MATRIX_SHARDS, checkedInFull, shardStacks } from '../support/stack-matrix-case.js';
import { repoRoot } from '../support/processes.js';

describe('the stack matrix shards', () => {
  const shards = Array.from({ length: STACK_MATRIX_SHARDS }, (_, index) => shardStacks(index + 1));

  it('hold every e2e stack exactly once', () => {
    const names = shards.flat().map((stack) => stack.name);
    expect(names.sort()).toEqual(E2E_STACKS.map((stack) => stack.name).sort());
  });

  it('put the everything stacks in different shards and stay within two full cases of each other', () => {
    const everything = shards.map((shard) => shard.filter((stack) => stack.kind === 'everything').length);
    expect(Math.max(...everything)).toBeLessThanOrEqual(Math.ceil(E2E_STACKS.filter((stack) => stack.kind === 'everything').length / STACK_MATRIX_SHARDS));
    const spread = (sizes: number[]): number => Math.max(...sizes) - Math.min(...sizes);
    expect(spread(shards.map((shard) => shard.filter((stack) => checkedInFull(stack)).length)), 'cases in full').toBeLessThanOrEqual(2);
    // A case that stops after mypy weighs about a third of one in full.
    expect(spread(shards.map((shard) => shard.length)), 'all cases').toBeLessThanOrEqual(4);
  });

  it('check every stack but the pairs left out of the sample in full', () => {
    const pairs = E2E_STACKS.filter((stack) => stack.kind === 'pair');
    expect(pairs.length).toBeGreaterThan(SAMPLED_PAIRS.size);
    for (const stack of E2E_STACKS) {
      expect(checkedInFull(stack), stack.name).toBe(stack.kind !== 'pair' || SAMPLED_PAIRS.has(stack.name));
      expect(checkedInFull(stack, 'all'), stack.name).toBe(true);
    }
  });

  it('each have their test file', () => {
    const files = readdirSync(join(repoRoot, 'test', 'e2e')).filter((name) => /^stack-matrix-\d+\.test\.ts$/.test(name));
    expect(files.sort()).toEqual(shards.map((_, index) => `stack-matrix-${index + 1}.test.ts`).sort());
  });
});
