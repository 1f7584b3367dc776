import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changelogBetween, compareVersions, parseChangelog } from '../../shared/update/changelog.js';
import { packageVersion } from '../../shared/package-info.js';

describe('compareVersions', () => {
  it('orders numerically, a pre-release before its release', () => {
    expect(compareVersions('0.10.0', '0.9.1')).toBe(1);
    expect(compareVersions('0.4.0', '0.4.0')).toBe(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('v1.2.3', '1.2.4')).toBe(-1);
  });
});

describe('changelog', () => {
  const text = [
    '# Changelog',
    '',
    'Intro text.',
    '',
    '## [0.5.0] - 2026-12-01',
    '',
    '- Five.',
    '',
    '## 0.4.1',
    '- Four one.',
    '## 0.4.0',
    '- Four.',
  ].join('\n');

  it('reads each version section and its body', () => {
    expect(parseChangelog(text)).toEqual([
      { version: '0.5.0', body: '- Five.' },
      { version: '0.4.1', body: '- Four one.' },
      { version: '0.4.0', body: '- Four.' },
    ]);
  });

  it('takes the entries after the old version up to the new one, newest first', () => {
    expect(changelogBetween(text, '0.4.0', '0.5.0').map((entry) => entry.version)).toEqual(['0.5.0', '0.4.1']);
    expect(changelogBetween(text, '0.4.1', '0.4.1')).toEqual([]);
  });

  it('skips an Unreleased section, wherever it sits', () => {
    const withUnreleased = '# Changelog\n\n## Unreleased\n\n- Soon.\n\n## 0.5.0\n\n- Five.\n\n## Unreleased\n\n- Odd.\n';
    expect(parseChangelog(withUnreleased)).toEqual([{ version: '0.5.0', body: '- Five.' }]);
  });

  it('has an entry for this package version in the shipped CHANGELOG.md', () => {
    const shipped = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');
    expect(parseChangelog(shipped).map((entry) => entry.version)).toContain(packageVersion);
  });
});
