import { describe, expect, it } from 'vitest';
import { reconcileFile, reconcileTrees } from '../../shared/engine/reconcile.js';

describe('reconcileFile', () => {
  it('creates a new file and leaves files the template did not change alone', () => {
    expect(reconcileFile('a', undefined, 'x\n', undefined)).toEqual({ path: 'a', action: 'create', after: 'x\n' });
    expect(reconcileFile('a', 'x\n', 'x\n', 'mine\n')).toBeUndefined();
    expect(reconcileFile('a', undefined, undefined, 'mine\n')).toBeUndefined();
  });

  it('makes an untouched file follow the template', () => {
    expect(reconcileFile('a', 'x\n', 'y\n', 'x\n')).toMatchObject({ action: 'update', after: 'y\n' });
  });

  it('treats a CRLF checkout of an untouched file as untouched, and keeps CRLF', () => {
    expect(reconcileFile('a', 'x\nz\n', 'y\nz\n', 'x\r\nz\r\n')).toMatchObject({ action: 'update', after: 'y\r\nz\r\n' });
  });

  it('merges when both changed different lines, and marks conflicts when the same', () => {
    expect(reconcileFile('a', 'a\nb\nc\nd\n', 'a\nb\nc\nD\n', 'A\nb\nc\nd\n')).toMatchObject({ action: 'merge', after: 'A\nb\nc\nD\n' });
    const conflict = reconcileFile('a', 'a\nb\n', 'a\nT\n', 'a\nU\n');
    expect(conflict).toMatchObject({ action: 'conflict', conflicts: 1 });
    expect(conflict?.after).toContain('<<<<<<< ours\nU\n=======\nT\n>>>>>>> template\n');
  });

  it('deletes a dropped file only when the user never changed it', () => {
    expect(reconcileFile('a', 'x\n', undefined, 'x\n')).toMatchObject({ action: 'delete' });
    expect(reconcileFile('a', 'x\n', undefined, 'x\nmine\n')).toMatchObject({ action: 'keep' });
    expect(reconcileFile('a', 'x\n', undefined, undefined)).toBeUndefined();
  });

  it('leaves a file the user deleted deleted, and says so', () => {
    expect(reconcileFile('a', 'x\n', 'y\n', undefined)).toMatchObject({ action: 'skip' });
  });

  it('does nothing when the disk already holds the new content', () => {
    expect(reconcileFile('a', 'x\n', 'y\n', 'y\n')).toBeUndefined();
  });

  it('merges a file the template adds where the user already has one, marking what differs', () => {
    const result = reconcileFile('a', undefined, 'shared\ntemplate\n', 'shared\nmine\n');
    expect(result?.action).toBe('conflict');
    expect(result?.after).toContain('mine');
    expect(result?.after).toContain('template');
  });

  it('never merges a binary file line by line: it follows the template only when the user never changed it', () => {
    const bytes = (...values: number[]) => ({ binary: Buffer.from(values) });
    expect(reconcileFile('a', bytes(0, 1), bytes(0, 2), bytes(0, 1))).toMatchObject({ action: 'update', after: bytes(0, 2) });
    expect(reconcileFile('a', bytes(0, 1), bytes(0, 2), bytes(0, 2))).toBeUndefined();
    expect(reconcileFile('a', bytes(0, 1), bytes(0, 1), bytes(0, 9))).toBeUndefined();
    const both = reconcileFile('a', bytes(0, 1), bytes(0, 2), bytes(0, 3));
    expect(both).toMatchObject({ action: 'conflict', conflicts: 0, sides: { base: bytes(0, 1), ours: bytes(0, 3), theirs: bytes(0, 2) } });
    expect(both?.after).toBeUndefined();
    expect(reconcileFile('a', 'x\n', 'y\n', bytes(0, 1, 2))).toMatchObject({ action: 'conflict', conflicts: 0 });
    expect(reconcileFile('a', bytes(0, 1), undefined, bytes(0, 1))).toMatchObject({ action: 'delete' });
  });
});

describe('reconcileTrees', () => {
  it('visits every path of both renders in order', () => {
    const base = new Map([['b', '1\n'], ['c', '1\n']]);
    const theirs = new Map([['a', '1\n'], ['b', '2\n']]);
    const disk = new Map([['b', '1\n'], ['c', '1\n']]);
    const changes = reconcileTrees(base, theirs, (path) => disk.get(path));
    expect(changes.map((change) => [change.path, change.action])).toEqual([
      ['a', 'create'],
      ['b', 'update'],
      ['c', 'delete'],
    ]);
  });
});
