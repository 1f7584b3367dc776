import { diff3MergeRegions } from 'node-diff3';

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

/** `\r\n` when every line break in the text is CRLF, else `\n` (mixed files keep their `\r` as content). */
export function lineEnding(text: string): '\n' | '\r\n' {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/\n/g)?.length ?? 0;
  return crlf > 0 && crlf === lf ? '\r\n' : '\n';
}

/** Lines with their `\n` kept, so a missing final newline is a difference like any other. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

function withNewline(line: string): string {
  return line.endsWith('\n') ? line : `${line}\n`;
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}

function conflictBlock(
  ours: readonly string[],
  base: readonly string[],
  theirs: readonly string[],
  labels: MergeLabels,
  style: ConflictStyle,
): string[] {
  const block = [`<<<<<<< ${labels.ours}\n`, ...ours.map(withNewline)];
  if (style === 'diff3') block.push(`||||||| ${labels.base}\n`, ...base.map(withNewline));
  block.push('=======\n', ...theirs.map(withNewline), `>>>>>>> ${labels.theirs}\n`);
  return block;
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
  const out: string[] = [];
  let conflicts = 0;
  for (const region of diff3MergeRegions(a, o, b)) {
    if (region.stable) {
      out.push(...region.bufferContent);
    } else if (same(region.aContent, region.bContent) || same(region.bContent, region.oContent)) {
      out.push(...region.aContent);
    } else if (same(region.aContent, region.oContent)) {
      out.push(...region.bContent);
    } else {
      conflicts += 1;
      out.push(...conflictBlock(region.aContent, region.oContent, region.bContent, labels, options.style ?? 'merge'));
    }
  }
  const text = out.join('');
  return { text: eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text, conflicts };
}

/** Whether the text still holds a conflict block (a `<<<<<<< ` line followed by `=======` and `>>>>>>> `). */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< .*\r?\n(?:[\s\S]*?\r?\n)?=======\r?\n(?:[\s\S]*?\r?\n)?>>>>>>> /m.test(text);
}
