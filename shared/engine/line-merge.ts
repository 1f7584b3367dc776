import { diffHunks } from './line-diff.js';

export type ConflictStyle = 'merge' | 'diff3';

export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

export interface MergeOptions {
  readonly labels?: MergeLabels;
  /** `diff3` adds the base section (`|||||||`) to each conflict, as `git merge-file --diff3` does. */
  readonly style?: ConflictStyle;
}

export interface MergeResult {
  readonly text: string;
  /** Number of conflict blocks written into `text`; 0 means a clean merge. */
  readonly conflicts: number;
}

export const DEFAULT_LABELS: MergeLabels = { ours: 'ours', base: 'base', theirs: 'template' };

function count(text: string, needle: string): number {
  let found = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) found += 1;
  return found;
}

/** `\r\n` when every line break in the text is CRLF, else `\n` (mixed files keep their `\r` as content). */
export function lineEnding(text: string): '\n' | '\r\n' {
  const crlf = count(text, '\r\n');
  return crlf > 0 && crlf === count(text, '\n') ? '\r\n' : '\n';
}

/** Lines with their `\n` kept, so a missing final newline is a difference like any other. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function withNewline(line: string): string {
  return line.endsWith('\n') ? line : `${line}\n`;
}

type Lines = readonly string[];

/** A stretch of one side: lines[start, end). */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** A stretch of the base changed by ours (a), the template (b), or both. */
interface Region {
  readonly a: Span;
  readonly o: Span;
  readonly b: Span;
}

interface SideHunk {
  readonly side: 'a' | 'b';
  readonly oStart: number;
  readonly oEnd: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The base split into stretches either side changed, as node-diff3's diff3MergeRegions does (Khanna, Kunal and
 * Pierce's diff3): overlapping or touching hunks of the two sides form one region, spans widened to cover them all.
 * Between regions, the three sides agree.
 */
function changedRegions(a: Lines, o: Lines, b: Lines): Region[] {
  const hunks: SideHunk[] = [];
  for (const [side, other] of [['a', a], ['b', b]] as const) {
    for (const hunk of diffHunks(o, other)) {
      hunks.push({
        side,
        oStart: hunk.oldStart,
        oEnd: hunk.oldStart + hunk.oldLength,
        start: hunk.newStart,
        end: hunk.newStart + hunk.newLength,
      });
    }
  }
  hunks.sort((x, y) => x.oStart - y.oStart);
  const regions: Region[] = [];
  const shift = { a: 0, b: 0 };
  let next = 0;
  while (next < hunks.length) {
    const first = next;
    const oStart = hunks[first]!.oStart;
    let oEnd = hunks[first]!.oEnd;
    const bounds = { a: [a.length, -1, o.length, -1], b: [b.length, -1, o.length, -1] };
    for (; next < hunks.length && hunks[next]!.oStart <= oEnd; next += 1) {
      const hunk = hunks[next]!;
      oEnd = Math.max(oEnd, hunk.oEnd);
      const bound = bounds[hunk.side];
      bound[0] = Math.min(hunk.start, bound[0]!);
      bound[1] = Math.max(hunk.end, bound[1]!);
      bound[2] = Math.min(hunk.oStart, bound[2]!);
      bound[3] = Math.max(hunk.oEnd, bound[3]!);
    }
    // A side with no hunk here kept the base as it was: its span is the base's, moved by its earlier edits.
    const span = (side: 'a' | 'b'): Span => {
      const [start, end, sideOStart, sideOEnd] = bounds[side] as [number, number, number, number];
      if (end === -1) return { start: oStart + shift[side], end: oEnd + shift[side] };
      return { start: start + (oStart - sideOStart), end: end + (oEnd - sideOEnd) };
    };
    regions.push({ a: span('a'), o: { start: oStart, end: oEnd }, b: span('b') });
    for (let index = first; index < next; index += 1) {
      const hunk = hunks[index]!;
      shift[hunk.side] += hunk.end - hunk.start - (hunk.oEnd - hunk.oStart);
    }
  }
  return regions;
}

function sameSpan(x: Lines, xs: Span, y: Lines, ys: Span): boolean {
  if (xs.end - xs.start !== ys.end - ys.start) return false;
  for (let offset = 0; offset < xs.end - xs.start; offset += 1) {
    if (x[xs.start + offset] !== y[ys.start + offset]) return false;
  }
  return true;
}

function pushSpan(out: string[], lines: readonly string[], span: Span, transform?: (line: string) => string): void {
  for (let index = span.start; index < span.end; index += 1) out.push(transform ? transform(lines[index]!) : lines[index]!);
}

/**
 * Three-way line merge: `ours` (the file on disk), `base` (what the template rendered before), `theirs` (what it
 * renders now). A region changed on one side takes that side; a region both sides changed the same way is taken
 * once; anything else becomes a git-style conflict block. Line endings follow `ours`.
 */
export function mergeText(ours: string, base: string, theirs: string, options: MergeOptions = {}): MergeResult {
  const eol = lineEnding(ours);
  const normalize = (text: string): string[] => splitLines(eol === '\r\n' ? text.replace(/\r\n/g, '\n') : text);
  const a = normalize(ours);
  const o = normalize(base);
  const b = normalize(theirs);
  const labels = options.labels ?? DEFAULT_LABELS;
  const style = options.style ?? 'merge';
  const out: string[] = [];
  let conflicts = 0;
  let oDone = 0;
  for (const region of changedRegions(a, o, b)) {
    pushSpan(out, o, { start: oDone, end: region.o.start });
    oDone = region.o.end;
    if (sameSpan(a, region.a, b, region.b) || sameSpan(b, region.b, o, region.o)) {
      pushSpan(out, a, region.a);
    } else if (sameSpan(a, region.a, o, region.o)) {
      pushSpan(out, b, region.b);
    } else {
      conflicts += 1;
      out.push(`<<<<<<< ${labels.ours}\n`);
      pushSpan(out, a, region.a, withNewline);
      if (style === 'diff3') {
        out.push(`||||||| ${labels.base}\n`);
        pushSpan(out, o, region.o, withNewline);
      }
      out.push('=======\n');
      pushSpan(out, b, region.b, withNewline);
      out.push(`>>>>>>> ${labels.theirs}\n`);
    }
  }
  pushSpan(out, o, { start: oDone, end: o.length });
  const text = out.join('');
  return { text: eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text, conflicts };
}

/** Whether the text still holds a conflict block (a `<<<<<<< ` line followed by `=======` and `>>>>>>> `). */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< .*\r?\n(?:[\s\S]*?\r?\n)?=======\r?\n(?:[\s\S]*?\r?\n)?>>>>>>> /m.test(text);
}
