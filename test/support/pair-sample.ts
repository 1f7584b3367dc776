/**
 * Which of the stack matrix's pairs run their own tests and boot in this run. Every stack of the matrix is generated,
 * installed, linted and type-checked in each `npm test`; the expensive steps of the pairs (their tests and the booted
 * server: about 70% of a pair's time) run for a sample, so that `npm test` takes less time on two cores, and
 * .ci/run runs the rest after it, so that each CI run still checks every pair in full.
 *
 * AEGIS_PAIRS:
 * - unset, or `sample`: PAIR_SAMPLE_SIZE pairs chosen by the seed; the others stop after mypy.
 * - `all`: every pair in full.
 * - `rest`: the pairs the sample leaves out, in full, and no other stack (what .ci/run runs after npm test).
 *
 * The seed is AEGIS_PAIR_SEED, else the commit checked out, else today's date (UTC): the runs of one commit check
 * the same pairs (so a failure comes back when run again), and the next commit checks others.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

export const PAIR_SAMPLE_SIZE = 8;
export type PairMode = 'sample' | 'all' | 'rest';

export function pairMode(value: string | undefined = process.env.AEGIS_PAIRS): PairMode {
  const mode = value?.trim() || 'sample';
  if (mode === 'sample' || mode === 'all' || mode === 'rest') return mode;
  throw new Error(`AEGIS_PAIRS=${value} is not a mode: use sample (the default), all or rest`);
}

/** AEGIS_PAIR_SEED, else the commit `cwd` has checked out, else today's date. */
export function pairSeed(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEGIS_PAIR_SEED?.trim()) return env.AEGIS_PAIR_SEED.trim();
  // spawnSync, not processes.ts's run (which throws): no git at all falls back to the date too.
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status === 0 && head.stdout.trim()) return head.stdout.trim();
  return new Date().toISOString().slice(0, 10);
}

/** The `size` names of `pairs` that the seed picks: the first by sha256 of seed and name. */
export function samplePairs(pairs: readonly string[], seed: string, size: number = PAIR_SAMPLE_SIZE): Set<string> {
  const rank = (name: string): string => createHash('sha256').update(`${seed}\0${name}`).digest('hex');
  return new Set([...pairs].sort((a, b) => rank(a).localeCompare(rank(b)) || a.localeCompare(b)).slice(0, size));
}
