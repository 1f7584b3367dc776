import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';

/** What never goes to the server: VCS and tool state, local data and local secrets. */
const EXCLUDED_NAMES = new Set(['.git', '.venv', 'node_modules', '__pycache__', '.ruff_cache', '.mypy_cache', '.pytest_cache', '.aegis', 'test-results']);
const EXCLUDED_TOP = new Set(['data']);

export function isExcluded(relativePath: string): boolean {
  const parts = relativePath.split('/');
  const name = parts[parts.length - 1]!;
  if (parts.some((part) => EXCLUDED_NAMES.has(part))) return true;
  if (EXCLUDED_TOP.has(parts[0]!)) return true;
  if (name.endsWith('.pyc')) return true;
  // Local environment files hold secrets; .env.example is documentation and ships.
  return (name === '.env' || name.startsWith('.env.')) && name !== '.env.example';
}

/** The project files a release carries, project-relative POSIX paths, sorted. */
export function releaseFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = prefix ? posix.join(prefix, entry.name) : entry.name;
      if (isExcluded(path)) continue;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(root, '');
  return files.sort();
}
