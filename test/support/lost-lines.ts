/**
 * Shared pieces of the lost-line fuzzers (test/unit/lost-line-fuzzer.test.ts in memory, test/e2e/lost-line-fuzzer.test.ts
 * on disk): a seeded generator, the user's lines and how to find them again, and the files several features render into.
 */
import { hasConflictMarkers } from '../../shared/engine/line-merge.js';

/** A small deterministic generator (mulberry32): the same seed repeats a run. */
export function seededRandom(seed: number): Random {
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from nothing');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p) => next() < p,
  };
}

export interface Random {
  next(): number;
  /** 0 ≤ n' < n */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** Files that several features render into: where a user's line meets the template's changes. */
export const SHARED_FILES = [
  'docker-compose.yml',
  'app/core/config.py',
  'README.md',
  'Makefile',
  '.env.example',
  'pyproject.toml',
  'tests/conftest.py',
  'app/services/system/checks.py',
  'app/components/backend/api/routing.py',
  'app/components/backend/lifespan.py',
  'app/cli/main.py',
  '.github/workflows/ci.yml',
] as const;

/** A line of the user's, recognisable in any file: `# u<n> …` (or a Python import ending in it). */
export const USER_MARK = /# u\d+\b/;

/** The line break a text uses: CRLF when every break is one. */
export function eolOf(text: string): '\n' | '\r\n' {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/\n/g)?.length ?? 0;
  return crlf > 0 && crlf === lf ? '\r\n' : '\n';
}

/** The text's lines without their breaks (one trailing `\r` dropped per line). */
export function linesOf(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** The text with `line` inserted before line `at` (0 = top, lines.length = end), in the text's own line breaks. */
export function insertLine(text: string, line: string, at: number): string {
  const eol = eolOf(text);
  const parts = text.split(eol);
  // A final break leaves an empty last part: inserting "at the end" goes before it.
  const hasFinal = text.endsWith(eol) || text === '';
  const count = hasFinal ? parts.length - 1 : parts.length;
  const index = Math.max(0, Math.min(at, count));
  if (!hasFinal && index === count) return `${text}${eol}${line}`;
  parts.splice(index, 0, line);
  return parts.join(eol);
}

/** Lines of a text that hold conflict blocks: whether `line` sits between a `<<<<<<<` and a `>>>>>>>` line. */
export function inConflictBlock(text: string, line: string): boolean {
  let inside = false;
  for (const current of linesOf(text)) {
    if (current.startsWith('<<<<<<< ')) inside = true;
    else if (current.startsWith('>>>>>>> ')) inside = false;
    else if (inside && current === line) return true;
  }
  return false;
}

/** Where a user's line went: present as a whole line, inside a conflict block, or lost. */
export function whereIs(text: string, line: string): 'present' | 'conflict' | 'lost' {
  if (inConflictBlock(text, line)) return 'conflict';
  return linesOf(text).includes(line) ? 'present' : 'lost';
}

export { hasConflictMarkers };
