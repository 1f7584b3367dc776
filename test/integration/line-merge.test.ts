import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hasConflictMarkers, lineEnding, mergeText, splitLines } from '../../shared/engine/line-merge.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-merge-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function gitMergeFile(ours: string, base: string, theirs: string): { text: string; conflicts: number } {
  const files = { ours: join(scratch, 'ours'), base: join(scratch, 'base'), theirs: join(scratch, 'theirs') };
  writeFileSync(files.ours, ours);
  writeFileSync(files.base, base);
  writeFileSync(files.theirs, theirs);
  const result = spawnSync(
    'git',
    ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'template', files.ours, files.base, files.theirs],
    { encoding: 'utf8' },
  );
  if (result.status === null || result.status < 0) throw new Error(`git merge-file failed: ${result.stderr}`);
  return { text: result.stdout, conflicts: result.status };
}

function count(lines: readonly string[], line: string): number {
  return lines.filter((candidate) => candidate === line).length;
}

/** A base text and two independent edits of it (ours = the user, theirs = the template). */
const line = fc.constantFrom('import os\n', 'x = 1\n', 'y = 2\n', '\n', 'def f():\n', '    return x\n', 'pass\n');
const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.array(line, { maxLength: 3 }) });
function applyEdits(lines: readonly string[], edits: readonly { at: number; remove: number; insert: string[] }[]): string[] {
  const result = [...lines];
  for (const { at, remove, insert } of edits) {
    const position = result.length === 0 ? 0 : at % (result.length + 1);
    result.splice(position, remove, ...insert);
  }
  return result;
}
const uniqueLine = fc.integer({ min: 0, max: 10_000 }).map((n) => `line ${n}\n`);
function scenarioOf(baseLines: fc.Arbitrary<string[]>) {
  return fc
  .record({
    base: baseLines,
    ours: fc.array(edit, { maxLength: 3 }),
    theirs: fc.array(edit, { maxLength: 3 }),
  })
  .map(({ base, ours, theirs }) => ({
    base: base.join(''),
    ours: applyEdits(base, ours).join(''),
    theirs: applyEdits(base, theirs).join(''),
  }));
}
/** Realistic code repeats lines (blank lines, `pass`): the alignment of such lines is ambiguous. */
const scenario = scenarioOf(fc.array(fc.oneof(line, uniqueLine), { maxLength: 14 }));
/**
 * Base lines all distinct, edits free to insert repeated ones: here the alignment is unambiguous, so two correct
 * merge tools must agree line for line.
 */
const distinctBaseScenario = scenarioOf(fc.uniqueArray(uniqueLine, { maxLength: 14 }));

describe('mergeText', () => {
  it('takes the template where only the template changed, and the user where only the user did', () => {
    const base = 'a\nb\nc\nd\ne\n';
    const ours = 'a\nB (mine)\nc\nd\ne\n';
    const theirs = 'a\nb\nc\nd\nE (template)\n';
    expect(mergeText(ours, base, theirs)).toEqual({ text: 'a\nB (mine)\nc\nd\nE (template)\n', conflicts: 0 });
  });

  it('writes git-style markers when both sides change the same line', () => {
    const result = mergeText('a\nmine\nc\n', 'a\nb\nc\n', 'a\ntemplate\nc\n');
    expect(result.conflicts).toBe(1);
    expect(result.text).toBe('a\n<<<<<<< ours\nmine\n=======\ntemplate\n>>>>>>> template\nc\n');
    expect(hasConflictMarkers(result.text)).toBe(true);
  });

  it('adds the base section in diff3 style', () => {
    const result = mergeText('a\nmine\nc\n', 'a\nb\nc\n', 'a\ntemplate\nc\n', { style: 'diff3' });
    expect(result.text).toBe('a\n<<<<<<< ours\nmine\n||||||| base\nb\n=======\ntemplate\n>>>>>>> template\nc\n');
  });

  it('keeps CRLF line endings of the file on disk', () => {
    const result = mergeText('a\r\nmine\r\nc\r\n', 'a\nb\nc\n', 'a\nb\nc\nd\n');
    expect(result).toEqual({ text: 'a\r\nmine\r\nc\r\nd\r\n', conflicts: 0 });
  });

  it('keeps a missing final newline', () => {
    expect(mergeText('a\nb\nc', 'a\nb\nc\n', 'A\nb\nc\n')).toEqual({ text: 'A\nb\nc', conflicts: 0 });
    expect(mergeText('a\nb\nc\n', 'a\nb\nc', 'A\nb\nc')).toEqual({ text: 'A\nb\nc\n', conflicts: 0 });
  });

  it('ends a conflict side that has no final newline before the marker', () => {
    const result = mergeText('a\nmine', 'a\nb\n', 'a\ntemplate\n');
    expect(result.text).toBe('a\n<<<<<<< ours\nmine\n=======\ntemplate\n>>>>>>> template\n');
  });

  it('detects line endings and splits lines keeping their terminators', () => {
    expect(lineEnding('a\r\nb\r\n')).toBe('\r\n');
    expect(lineEnding('a\r\nb\n')).toBe('\n');
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('')).toEqual([]);
  });

  it('property: a side that did not change yields the other side', () => {
    fc.assert(
      fc.property(scenario, ({ base, ours, theirs }) => {
        expect(mergeText(base, base, theirs)).toEqual({ text: theirs, conflicts: 0 });
        expect(mergeText(ours, base, base)).toEqual({ text: ours, conflicts: 0 });
      }),
      { numRuns: 500 },
    );
  });

  it('property: no line the user added or changed disappears, conflict or not', () => {
    fc.assert(
      fc.property(scenario, ({ base, ours, theirs }) => {
        const result = splitLines(mergeText(ours, base, theirs).text).map((text) => text.replace(/\n?$/, '\n'));
        const oursLines = splitLines(ours);
        const baseLines = splitLines(base);
        for (const userLine of new Set(oursLines)) {
          const added = count(oursLines, userLine) - count(baseLines, userLine);
          if (added > 0) expect(count(result, userLine.replace(/\n?$/, '\n'))).toBeGreaterThanOrEqual(added);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: a clean merge equals git merge-file, and conflicts are conflicts there too', () => {
    fc.assert(
      fc.property(distinctBaseScenario, ({ base, ours, theirs }) => {
        const ourResult = mergeText(ours, base, theirs);
        const git = gitMergeFile(ours, base, theirs);
        if (ourResult.conflicts === 0) {
          expect(git.conflicts).toBe(0);
          expect(ourResult.text).toBe(git.text);
        }
        if (git.conflicts > 0) expect(ourResult.conflicts).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
