import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAegisError } from '../../shared/errors.js';
import { describeSystemError } from '../../shared/system-error.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-system-error-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

const errno = (code: string, path: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: x`), { code, path });

describe('describeSystemError', () => {
  it('names the file in the way of a folder (ENOTDIR)', () => {
    writeFileSync(join(scratch, 'ai'), 'mine\n');
    const error = describeSystemError(thrown(() => readFileSync(join(scratch, 'ai', '__init__.py'))));
    expect(isAegisError(error)).toBe(true);
    expect(error?.message).toBe(
      `${join(scratch, 'ai')} is a file, but a folder is needed there (for ${join(scratch, 'ai', '__init__.py')}): rename or move that file, or choose another path, and retry. (ENOTDIR)`,
    );
  });

  it('gives one line with the path and a fix for each errno it knows', () => {
    for (const [code, fix] of [
      ['EISDIR', /is a folder where a file is needed/],
      ['ELOOP', /symbolic link that loops/],
      ['EACCES', /permission denied: .*chmod/],
      ['EPERM', /not permitted/],
      ['EROFS', /read-only file system/],
      ['ENOSPC', /No space left on the device holding \/p\/f: free some space/],
      ['ENAMETOOLONG', /too long/],
    ] as const) {
      const message = describeSystemError(errno(code, '/p/f'))?.message ?? '';
      expect(message, code).toMatch(fix);
      expect(message, code).toContain('/p/f');
      expect(message, code).toMatch(new RegExp(`\\(${code}\\)$`));
      expect(message, code).not.toContain('\n');
    }
  });

  it('leaves alone what is not a file-system error with a path', () => {
    expect(describeSystemError(new Error('boom'))).toBeUndefined();
    expect(describeSystemError(Object.assign(new Error('x'), { code: 'ENOTDIR' }))).toBeUndefined();
    expect(describeSystemError(errno('ECONNREFUSED', '/p'))).toBeUndefined();
    expect(describeSystemError('text')).toBeUndefined();
  });
});
