import { describe, expect, it } from 'vitest';
import { type HistoryEntry, deployer, formatEntry, parseHistory } from '../../shared/deploy/history.js';

const entry: HistoryEntry = {
  release: '20261207-053600-123',
  action: 'deploy',
  startedAt: '2026-12-07T05:36:00.123Z',
  finishedAt: '2026-12-07T05:36:42.500Z',
  commit: '0123456789abcdef0123',
  deployer: 'Ada <ada@example.com>',
  outcome: 'live',
};

describe('deploy history', () => {
  it('reads the entries of the file, skipping lines that are not entries (a torn last line)', () => {
    const text = `${JSON.stringify(entry)}\n\n{"not": "an entry"}\n${JSON.stringify({ ...entry, outcome: 'failed', detail: 'x' })}\n{"release": "2026`;
    expect(parseHistory(text)).toEqual([entry, { ...entry, outcome: 'failed', detail: 'x' }]);
    expect(parseHistory('')).toEqual([]);
  });

  it('shows one line an entry: time, action, release, commit (+changes), who, outcome, duration', () => {
    expect(formatEntry(entry, true)).toBe('2026-12-07 05:36 UTC  deploy    20261207-053600-123  0123456789ab          Ada <ada@example.com>  live (current) (42 s)');
    expect(formatEntry({ ...entry, uncommitted: true, outcome: 'rolled back', detail: 'unhealthy' }, false)).toContain('0123456789ab+changes  Ada <ada@example.com>  rolled back: unhealthy (42 s)');
    const { commit: _commit, ...noCommit } = entry;
    expect(formatEntry(noCommit, false)).toContain('no commit');
  });

  it('names who deploys: AEGIS_DEPLOYER, else the GitHub Actions actor and run, else git, else user@host', () => {
    expect(deployer('/nonexistent', { AEGIS_DEPLOYER: 'release bot', GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' })).toBe('release bot');
    expect(deployer('/nonexistent', { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '7' })).toBe('octocat (GitHub Actions run 7)');
    expect(deployer('/nonexistent', {})).toMatch(/.+@.+/);
  });
});
