import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../shared/engine/file-contents.js';
import { contentBytes, reconcileFile } from '../../shared/engine/reconcile.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('decodeFile', () => {
  it('gives text for valid UTF-8 without NUL, re-encoding to the same bytes', () => {
    for (const text of ['', 'plain\n', 'café ✓ 𝄞\r\nno final newline', 'mixed\r\nendings\n']) {
      const bytes = utf8(text);
      const decoded = decodeFile(bytes);
      expect(decoded).toBe(text);
      expect(Buffer.from(decoded as string, 'utf8').equals(bytes)).toBe(true);
    }
  });

  it('keeps a UTF-8 byte-order mark exactly', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('KEY=value\n')]);
    const decoded = decodeFile(bytes);
    expect(decoded).toBe('\uFEFFKEY=value\n');
    expect(contentBytes(decoded).equals(bytes)).toBe(true);
  });

  it('gives bytes for Latin-1, truncated sequences, encoded surrogates and NUL', () => {
    for (const bytes of [
      Buffer.from('# caf\xe9 user line\n', 'latin1'),
      Buffer.from([0x61, 0xe2, 0x82]),
      Buffer.from([0xed, 0xa0, 0x80, 0x0a]),
      Buffer.from([0x61, 0x00, 0x62]),
      Buffer.from([0xff, 0xfe, 0x61, 0x00]),
    ]) {
      const decoded = decodeFile(bytes);
      expect(typeof decoded).toBe('object');
      expect(contentBytes(decoded).equals(bytes)).toBe(true);
    }
  });
});

describe('a user file that is not UTF-8 text', () => {
  it('is a conflict without markers, kept byte for byte, never a replacement character', () => {
    const base = 'APP_NAME=demo\nLOG_LEVEL=info\n';
    const theirs = `${base}REDIS_URL=redis://localhost:6379/0\n`;
    const onDisk = Buffer.concat([utf8(base), Buffer.from('# caf\xe9 user line\n', 'latin1')]);
    const change = reconcileFile('.env.example', base, theirs, decodeFile(onDisk));
    expect(change).toMatchObject({ path: '.env.example', action: 'conflict', conflicts: 0 });
    expect(change?.after).toBeUndefined();
    expect(contentBytes(change!.before!).equals(onDisk)).toBe(true);
    expect(change?.reason).toMatch(/not valid UTF-8/);
    expect(JSON.stringify(change?.before)).not.toContain('\uFFFD');
  });

  it('that the template no longer has is kept, as a changed file', () => {
    const onDisk = Buffer.from('caf\xe9\n', 'latin1');
    expect(reconcileFile('a.txt', 'cafe\n', undefined, decodeFile(onDisk))).toMatchObject({ action: 'keep' });
  });

  it('a UTF-8 file with a BOM merges as text and keeps its BOM', () => {
    const base = 'a\nb\nc\nd\n';
    const change = reconcileFile('a.txt', base, 'a\nb\nc\nD\n', decodeFile(utf8(`\uFEFFA\nb\nc\nd\n`)));
    expect(change).toMatchObject({ action: 'merge', after: '\uFEFFA\nb\nc\nD\n' });
  });
});
