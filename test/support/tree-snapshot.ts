import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file and symbolic link under `dir` (relative path → mode and sha256, or the link's target), `.git`
 * included when asked: two equal snapshots mean the same bytes, modes and links.
 */
export function snapshotTree(dir: string, options: { readonly git?: boolean } = {}): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const rel = relative(dir, path);
      if (!options.git && rel === '.git') continue;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) entries.set(rel, `link ${readlinkSync(path)}`);
      else if (stat.isDirectory()) walk(path);
      else entries.set(rel, `${(stat.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(dir);
  return entries;
}

/** The paths on which two snapshots differ, for a readable failure. */
export function snapshotDifferences(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((path) => a.get(path) !== b.get(path));
}
