import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED = new Set(['node_modules', '__pycache__', 'venv', 'site-packages']);

/** Every .py file under `root` (project-relative path → text), leaving out hidden folders, virtualenvs and caches. */
export function readPythonFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else if (entry.isFile() && entry.name.endsWith('.py')) {
        try {
          files.set(`${prefix}${entry.name}`, readFileSync(path, 'utf8'));
        } catch {
          // Unreadable: not ours to judge.
        }
      }
    }
  };
  walk(root, '');
  return files;
}
