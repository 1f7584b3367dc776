/** What a file system error means for the user, and what to do about it. */
const MEANINGS: Record<string, string> = {
  EACCES: 'permission denied: make it writable for this user (or run as its owner)',
  EPERM: 'the operation is not permitted (an immutable file, "chattr -i" lifts that, or a protected folder)',
  EROFS: 'the file system is read-only: remount it writable or work on a copy elsewhere',
  ENOSPC: 'the disk is full: free some space',
  EDQUOT: 'the disk quota is exceeded: free some space',
  ENOTDIR: 'a file stands where a folder must be: rename or move that file',
  EISDIR: 'a folder stands where a file must be: rename or move that folder',
  ELOOP: 'a symbolic link points to itself or in a circle: replace it with a real file',
  ENAMETOOLONG: 'the path is too long: use a shorter project path',
  EMFILE: 'too many open files: raise the limit (ulimit -n)',
  EBUSY: 'the file is in use by another program: close it',
  ENOENT: 'it does not exist: check the path',
};

export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** One line naming the path and the fix, for a Node file system error; the error's own message otherwise. */
export function describeFileError(error: unknown, fallbackPath: string): string {
  const code = errorCode(error);
  const path = (error as NodeJS.ErrnoException | undefined)?.path ?? fallbackPath;
  const meaning = code === undefined ? undefined : MEANINGS[code];
  if (meaning === undefined) return error instanceof Error ? `${path}: ${error.message}.` : `${path}: ${String(error)}.`;
  return `${path}: ${meaning} (${code}).`;
}
