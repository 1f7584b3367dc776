import { describe, expect, it } from 'vitest';
import { BACKUP_ID, backupId, backupTime, backupsToPrune, formatAge, formatBytes, parseManifest, totalBytes } from '../../shared/deploy/backups.js';

describe('backup ids', () => {
  it('are UTC times, sortable, with milliseconds', () => {
    expect(backupId(new Date('2026-12-07T05:36:00.123Z'))).toBe('20261207-053600-123');
    expect(BACKUP_ID.test(backupId())).toBe(true);
    expect(backupId(new Date('2026-12-07T05:36:00.123Z')) < backupId(new Date('2026-12-07T05:36:00.124Z'))).toBe(true);
  });
});

describe('retention', () => {
  const ids = ['20261201-000000-000', '20261203-000000-000', '20261202-000000-000', '20261204-000000-000'];
  it('removes all but the newest N, oldest first', () => {
    expect(backupsToPrune(ids, 2)).toEqual(['20261201-000000-000', '20261202-000000-000']);
    expect(backupsToPrune(ids, 4)).toEqual([]);
    expect(backupsToPrune(ids, 10)).toEqual([]);
  });
  it('leaves folders that are not backups alone (an unfinished .partial one, anything else)', () => {
    expect(backupsToPrune([...ids, '20261205-000000-000.partial', 'notes'], 1)).toEqual(ids.slice().sort().slice(0, 3));
  });
});

describe('retention by age', () => {
  const now = new Date('2026-12-10T00:00:00.000Z');
  const ids = ['20261101-000000-000', '20261201-120000-000', '20261205-000000-000', '20261209-000000-000'];
  it('removes backups older than keepDays besides those beyond keep, never the newest', () => {
    expect(backupsToPrune(ids, 10, { keepDays: 7, now })).toEqual(['20261101-000000-000', '20261201-120000-000']);
    expect(backupsToPrune(ids, 2, { keepDays: 30, now })).toEqual(['20261101-000000-000', '20261201-120000-000']);
    expect(backupsToPrune(ids, 10, { keepDays: 60, now })).toEqual([]);
    // All older than a day: the newest stays all the same.
    expect(backupsToPrune(ids, 10, { keepDays: 1, now: new Date('2027-06-01T00:00:00.000Z') })).toEqual(ids.slice(0, 3));
  });
  it('reads the time from the id', () => {
    expect(backupTime('20261207-053600-123').toISOString()).toBe('2026-12-07T05:36:00.123Z');
  });
});

describe('manifests', () => {
  const manifest = {
    id: '20261207-053600-123',
    createdAt: '2026-12-07T05:36:00.123Z',
    commit: 'abc123',
    release: '20261207-050000-000',
    reason: 'manual',
    parts: [
      { file: 'data.tar.gz', kind: 'data-volume', bytes: 2048 },
      { file: 'postgres.dump', kind: 'postgres-dump', bytes: 1024 },
    ],
  };
  it('reads back what deploy-backup writes', () => {
    const parsed = parseManifest(JSON.stringify(manifest));
    expect(parsed).toEqual(manifest);
    expect(totalBytes(parsed!)).toBe(3072);
  });
  it('takes optional fields as optional', () => {
    const { commit: _commit, release: _release, reason: _reason, ...minimal } = manifest;
    expect(parseManifest(JSON.stringify(minimal))).toEqual({ ...minimal, reason: 'manual' });
  });
  it('rejects what is not one of ours', () => {
    expect(parseManifest('not json')).toBeUndefined();
    expect(parseManifest('[]')).toBeUndefined();
    expect(parseManifest(JSON.stringify({ ...manifest, id: '../etc' }))).toBeUndefined();
    expect(parseManifest(JSON.stringify({ ...manifest, createdAt: 'yesterday' }))).toBeUndefined();
    expect(parseManifest(JSON.stringify({ ...manifest, parts: [{ file: 'x', kind: 'other', bytes: 1 }] }))).toBeUndefined();
    expect(parseManifest(JSON.stringify({ ...manifest, parts: undefined }))).toBeUndefined();
  });
});

describe('sizes and ages', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });
  it('formats ages', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    expect(formatAge('2026-12-07T11:59:30Z', now)).toBe('30 s ago');
    expect(formatAge('2026-12-07T11:30:00Z', now)).toBe('30 min ago');
    expect(formatAge('2026-12-07T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-12-05T12:00:00Z', now)).toBe('2 d ago');
    expect(formatAge('2026-12-07T12:00:10Z', now)).toBe('0 s ago');
  });
});
