import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Changes a built package's code as a release would: every compiled and bundled `.js` copy under `dist` (the
 * `aegis` bin's chunks, the recorded-version renderer, the tsc output). Settings are data in the specs now, so a
 * test's "version B" that changes a setting's default edits the code, not a template. Throws when a copy did not match.
 */
export function editBuiltCode(dist: string, pattern: RegExp, replacement: string): number {
  // Every copy must change, or version B would render differently depending on which one runs: the tsc output, the
  // bin's minified bundle (dist/cli) and the renderer other versions load (dist/engine).
  const changedIn = new Map<string, number>([['cli', 0], ['engine', 0], ['compiled', 0]]);
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const before = readFileSync(file, 'utf8');
    const after = before.replace(pattern, replacement);
    if (after === before) continue;
    writeFileSync(file, after);
    const top = relative(dist, file).split(sep)[0]!;
    const group = top === 'cli' || top === 'engine' ? top : 'compiled';
    changedIn.set(group, changedIn.get(group)! + 1);
  }
  const missed = [...changedIn].filter(([, count]) => count === 0).map(([group]) => group);
  if (missed.length) throw new Error(`no built file under ${dist} (${missed.join(', ')}) matches ${pattern}`);
  return [...changedIn.values()].reduce((sum, count) => sum + count, 0);
}

/**
 * `LOG_LEVEL=INFO` → `LOG_LEVEL=<level>` in `.env.example`: the backend spec's setting entry, as tsc writes it
 * (`dotenv: { value: 'INFO' }`) and as the bin's minified bundle does (`dotenv:{value:"INFO"}`).
 */
export const LOG_LEVEL_DOTENV = /(dotenv:\s*\{\s*value:\s*)(["'])INFO\2(\s*\})/g;
