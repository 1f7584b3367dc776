import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Changes a built package's code as a release would: every compiled and bundled `.js` copy under `dist` (the
 * `aegis` bin's chunks, the recorded-version renderer, the tsc output). Settings are data in the specs now, so a
 * test's "version B" that changes a setting's default edits the code, not a template. Throws when nothing matched.
 */
export function editBuiltCode(dist: string, pattern: RegExp, replacement: string): number {
  let changed = 0;
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const before = readFileSync(file, 'utf8');
    const after = before.replace(pattern, replacement);
    if (after === before) continue;
    writeFileSync(file, after);
    changed += 1;
  }
  if (changed === 0) throw new Error(`no built file under ${dist} matches ${pattern}`);
  return changed;
}

/** `LOG_LEVEL=INFO` → `LOG_LEVEL=<level>` in `.env.example`: the backend spec's setting entry. */
export const LOG_LEVEL_DOTENV = /(dotenv: \{ value: )(["'])INFO\2( \})/g;
