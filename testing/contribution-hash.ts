import { createHash } from 'node:crypto';
import { diffLines } from 'diff';

/**
 * What the feature does to one file, as a hash: a file it adds by its whole contents, a file it changes by the lines
 * it adds and takes away (in order, without the unchanged lines around them), so a generator-aegis release that edits
 * other parts of the same file does not move the golden.
 */
export function contributionHash(before: string | undefined, after: string | undefined): string {
  if (after === undefined) return 'deleted';
  const hash = createHash('sha256');
  if (before === undefined) return hash.update(after).digest('hex');
  for (const part of diffLines(before, after)) {
    if (part.added) hash.update(`+${part.value}`);
    else if (part.removed) hash.update(`-${part.value}`);
  }
  return `changed:${hash.digest('hex')}`;
}
