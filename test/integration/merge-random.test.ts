/**
 * Randomized: many (base, ours, theirs) triples from random line edits. No line the user added or changed may
 * disappear without a conflict marker, and a clean merge must equal what `git merge-file` makes of the same inputs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeText } from '../../shared/engine/line-merge.js';

const CASES = 400;
const scratch = mkdtempSync(join(tmpdir(), 'aegis-merge-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random replacements, insertions and deletions of lines; new lines are tagged so they are recognisable. */
function edit(lines: readonly string[], next: () => number, tag: string): string[] {
  const out = [...lines];
  const edits = 1 + Math.floor(next() * 3);
  for (let n = 0; n < edits; n += 1) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = next();
    if (kind < 0.4 && at < out.length) out[at] = `${tag}${n} changed ${out[at]}`;
    else if (kind < 0.75) out.splice(at, 0, `${tag}${n} added`);
    else if (at < out.length) out.splice(at, 1);
  }
  return out;
}

const text = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');

function gitMergeFile(ours: string, base: string, theirs: string): { text: string; clean: boolean } {
  const [o, b, t] = ['ours', 'base', 'theirs'].map((name) => join(scratch, name));
  writeFileSync(o!, ours);
  writeFileSync(b!, base);
  writeFileSync(t!, theirs);
  const result = spawnSync('git', ['merge-file', '-p', o!, b!, t!], { encoding: 'utf8' });
  if (result.status === null || result.status < 0) throw new Error(`git merge-file failed: ${result.stderr}`);
  return { text: result.stdout, clean: result.status === 0 };
}

describe(`3-way merge on ${CASES} random cases`, () => {
  it('keeps every line the user added or changed, or marks a conflict around it; clean merges equal git merge-file', () => {
    let clean = 0;
    let conflicted = 0;
    for (let seed = 1; seed <= CASES; seed += 1) {
      const next = random(seed);
      const base = Array.from({ length: 4 + Math.floor(next() * 12) }, (_, index) => `line ${index}`);
      const ours = text(edit(base, next, 'user'));
      const theirs = text(edit(base, next, 'template'));
      const result = mergeText(ours, text(base), theirs);
      const merged = result.text.split('\n');
      for (const line of ours.split('\n').filter((line) => line.startsWith('user'))) {
        expect(merged, `seed ${seed}: "${line}" lost`).toContain(line);
      }
      const git = gitMergeFile(ours, text(base), theirs);
      if (result.conflicts === 0) {
        clean += 1;
        expect(git.clean, `seed ${seed}: git merge-file finds a conflict`).toBe(true);
        expect(result.text, `seed ${seed}`).toBe(git.text);
      } else {
        conflicted += 1;
        expect(result.text).toMatch(/^<<<<<<< /m);
      }
    }
    expect(clean).toBeGreaterThan(CASES / 10);
    expect(conflicted).toBeGreaterThan(CASES / 10);
  });
});
