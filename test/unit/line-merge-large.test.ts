import { describe, expect, it } from 'vitest';
import { mergeText, splitLines } from '../../shared/engine/line-merge.js';

/** A README-like text: distinct lines with blank lines and repeated ones between, as real files have. */
function baseLines(count: number): string[] {
  return Array.from({ length: count }, (_, index) => (index % 7 === 0 ? '\n' : index % 11 === 0 ? '---\n' : `line ${index}\n`));
}

function largeMerge(count: number): void {
  const base = baseLines(count);
  const middle = Math.floor(count / 2);
  const ours = [...base];
  // The user: a line at the top, one replaced in the middle, one appended at the end.
  ours.splice(middle + 3, 1, 'user changed the middle\n');
  ours.push('user line at the end\n');
  ours.unshift('user line at the top\n');
  const theirs = [...base];
  // The template: other lines near the top, middle and end.
  theirs.splice(count - 5, 1, 'template changed the end\n');
  theirs.splice(middle - 3, 0, 'template added in the middle\n');
  theirs.splice(2, 1, 'template changed the top\n');

  // Correctness only: its speed is measured by `npm run bench` (a wall-clock bound here fails on a loaded machine).
  const result = mergeText(ours.join(''), base.join(''), theirs.join(''));

  expect(result.conflicts).toBe(0);
  const merged = splitLines(result.text);
  const expected = [...theirs];
  // The template's one insertion before it moved the user's middle line down by one.
  expected.splice(middle + 4, 1, 'user changed the middle\n');
  expected.push('user line at the end\n');
  expected.unshift('user line at the top\n');
  expect(merged.length).toBe(expected.length);
  expect(result.text === expected.join(''), 'every user line kept, every template change applied').toBe(true);
  for (const line of ['user line at the top\n', 'user changed the middle\n', 'user line at the end\n']) {
    expect(merged).toContain(line);
  }
  for (const line of ['template changed the top\n', 'template added in the middle\n', 'template changed the end\n']) {
    expect(merged).toContain(line);
  }
}

describe('merging large files', () => {
  it('150,000 lines, edits at the top, middle and end on both sides (no stack overflow)', () => {
    largeMerge(150_000);
  });

  it('1,000,000 lines, edits at the top, middle and end on both sides', () => {
    largeMerge(1_000_000);
  }, 60_000);

  it('keeps CRLF endings and a missing final newline on a large file', () => {
    const base = baseLines(200_000);
    const ours = [...base, 'no final newline'].join('').replace(/\n/g, '\r\n');
    const theirs = ['template top\n', ...base.slice(1)].join('');
    const result = mergeText(ours, base.join(''), theirs);
    expect(result.conflicts).toBe(0);
    expect(result.text).toBe(['template top\n', ...base.slice(1), 'no final newline'].join('').replace(/\n/g, '\r\n'));
  }, 60_000);

  it('a conflict in a large file is marked, both sides kept', () => {
    const base = baseLines(300_000);
    const ours = [...base];
    ours[150_001] = 'user version\n';
    const theirs = [...base];
    theirs[150_001] = 'template version\n';
    const result = mergeText(ours.join(''), base.join(''), theirs.join(''));
    expect(result.conflicts).toBe(1);
    expect(result.text).toContain('<<<<<<< ours\nuser version\n=======\ntemplate version\n>>>>>>> template\n');
  }, 60_000);
});
