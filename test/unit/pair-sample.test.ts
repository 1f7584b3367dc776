import { describe, expect, it } from 'vitest';
import { PAIR_SAMPLE_SIZE, pairMode, pairSeed, samplePairs } from '../support/pair-sample.js';
import { repoRoot, tempDir } from '../support/processes.js';

const pairs = Array.from({ length: 32 }, (_, index) => `feature-${index}-with-other`);

describe('the pairs sampled for their tests and boot', () => {
  it('are the same for one seed, in any order of the pairs', () => {
    const sample = samplePairs(pairs, 'abc');
    expect(sample.size).toBe(PAIR_SAMPLE_SIZE);
    expect(samplePairs([...pairs].reverse(), 'abc')).toEqual(sample);
    for (const name of sample) expect(pairs).toContain(name);
  });

  it('change with the seed, so that successive commits check other pairs', () => {
    const samples = ['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => [...samplePairs(pairs, seed)].sort().join());
    expect(new Set(samples).size).toBeGreaterThan(1);
    const covered = new Set(Array.from({ length: 40 }, (_, seed) => [...samplePairs(pairs, String(seed))]).flat());
    expect(covered.size).toBe(pairs.length);
  });

  it('are every pair when there are no more than the sample size', () => {
    expect(samplePairs(pairs.slice(0, 3), 'x')).toEqual(new Set(pairs.slice(0, 3)));
  });

  it('take their seed from AEGIS_PAIR_SEED, else the commit, else the date', () => {
    expect(pairSeed(repoRoot, { AEGIS_PAIR_SEED: ' 42 ' })).toBe('42');
    expect(pairSeed(tempDir('no-git'), {})).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('name an unknown AEGIS_PAIRS mode and the ones there are', () => {
    expect(pairMode(undefined)).toBe('sample');
    expect(pairMode('rest')).toBe('rest');
    expect(() => pairMode('some')).toThrow('AEGIS_PAIRS=some is not a mode: use sample (the default), all or rest');
  });
});
