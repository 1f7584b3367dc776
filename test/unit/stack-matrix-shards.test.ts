import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_STACKS, STACK_MATRIX_SHARDS, shardStacks } from '../support/stack-matrix-case.js';
import { repoRoot } from '../support/processes.js';

describe('the stack matrix shards', () => {
  const shards = Array.from({ length: STACK_MATRIX_SHARDS }, (_, index) => shardStacks(index + 1));

  it('hold every e2e stack exactly once', () => {
    const names = shards.flat().map((stack) => stack.name);
    expect(names.sort()).toEqual(E2E_STACKS.map((stack) => stack.name).sort());
  });

  it('put the everything stacks in different shards and stay within two stacks of each other', () => {
    const everything = shards.map((shard) => shard.filter((stack) => stack.kind === 'everything').length);
    expect(Math.max(...everything)).toBeLessThanOrEqual(Math.ceil(E2E_STACKS.filter((stack) => stack.kind === 'everything').length / STACK_MATRIX_SHARDS));
    const sizes = shards.map((shard) => shard.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });

  it('each have their test file', () => {
    const files = readdirSync(join(repoRoot, 'test', 'e2e')).filter((name) => /^stack-matrix-\d+\.test\.ts$/.test(name));
    expect(files.sort()).toEqual(shards.map((_, index) => `stack-matrix-${index + 1}.test.ts`).sort());
  });
});
