import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AegisError } from './errors.js';

/** The nearest existing ancestor of `path` that is a file, not a folder: what makes a path ENOTDIR. */
function fileInTheWay(path: string): string | undefined {
  for (let current = dirname(path); current !== dirname(current); current = dirname(current)) {
    try {
      return statSync(current).isDirectory() ? undefined : current;
    } catch {
      // Missing or unreadable: look further up.
    }
  }
  return undefined;
}

const FIXES: Record<string, (path: string) => string> = {
  ENOTDIR: (path) => {
    const file = fileInTheWay(path);
    return file
      ? `${file} is a file, but a folder is needed there (for ${path}): rename or move that file, or choose another path, and retry.`
      : `${path}: part of this path is a file where a folder is needed: rename or move that file and retry.`;
  },
  EISDIR: (path) => `${path} is a folder where a file is needed: rename or remove the folder and retry.`,
  ELOOP: (path) => `${path} is a symbolic link that loops (it points, in the end, at itself): point it at a real file or delete it, and retry.`,
  EACCES: (path) => `${path}: permission denied: make it readable and writable for you (chmod/chown), or work in a folder you own.`,
  EPERM: (path) => `${path}: operation not permitted (an immutable or protected file?): lift the protection (e.g. chattr -i) or work elsewhere.`,
  EROFS: (path) => `${path} is on a read-only file system: work on a writable copy of the project.`,
  ENOSPC: (path) => `No space left on the device holding ${path}: free some space and retry.`,
  EDQUOT: (path) => `Disk quota exceeded writing ${path}: free some space and retry.`,
  ENAMETOOLONG: (path) => `${path}: the name is too long for the file system: choose a shorter name or a shorter --output-dir.`,
  ENOENT: (path) => `${path} does not exist: check the path (and --project-path / --output-dir) and retry.`,
  EEXIST: (path) => `${path} already exists: move it away or choose another path, and retry.`,
  ENOTEMPTY: (path) => `${path} is a folder that is not empty: move it away and retry.`,
  EBUSY: (path) => `${path} is in use by another program: close it and retry.`,
  EMFILE: (path) => `Too many open files while reading ${path}: raise the limit (ulimit -n) and retry.`,
};

/**
 * A Node file-system error that carries a path, as one line naming the path and a fix; undefined for anything else.
 * The last resort behind the checks at the source, so that no reachable case prints a bare errno.
 */
export function describeSystemError(error: unknown): AegisError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string') return undefined;
  const fix = FIXES[code];
  return fix ? new AegisError(`${fix(path)} (${code})`) : undefined;
}

/** The same line for a file-system error raised while working on `fallbackPath` (used when it names no path). */
export function describeFileError(error: unknown, fallbackPath: string): string {
  const { path } = (error ?? {}) as NodeJS.ErrnoException;
  const located = error instanceof Error && typeof path !== 'string' ? Object.assign(error, { path: fallbackPath }) : error;
  const described = describeSystemError(located);
  if (described) return described.message;
  return `${fallbackPath}: ${error instanceof Error ? error.message : String(error)}.`;
}
