import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changelogBetween, parseChangelog } from '../../shared/update/changelog.js';
import { compareVersions } from '../../shared/model/version-order.js';
import { packageVersion } from '../../shared/package-info.js';

describe('compareVersions', () => {
  it('orders numerically, a pre-release before its release', () => {
    expect(compareVersions('0.10.0', '0.9.1')).toBe(1);
    expect(compareVersions('0.4.0', '0.4.0')).toBe(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('v1.2.3', '1.2.4')).toBe(-1);
  });

  it('orders numeric pre-release identifiers as numbers: 1.0.0-rc.9 < 1.0.0-rc.10 < 1.0.0', () => {
    expect(compareVersions('1.0.0-rc.9', '1.0.0-rc.10')).toBe(-1);
    expect(compareVersions('1.0.0-rc.10', '1.0.0-rc.9')).toBe(1);
    expect(compareVersions('1.0.0-rc.10', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0', '1.0.0-rc.10')).toBe(1);
    expect(compareVersions('1.0.0-rc.10', '1.0.0-rc.10')).toBe(0);
    expect(compareVersions('1.0.0-rc.99999999999999999999', '1.0.0-rc.100000000000000000000')).toBe(-1);
  });

  it('follows the precedence example of semver.org §11, whatever the input order', () => {
    // 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1-0', '1.0.1', '1.10.0', '2.0.0'];
    fc.assert(
      fc.property(fc.shuffledSubarray(ordered, { minLength: ordered.length }), (shuffled) => {
        expect([...shuffled].sort(compareVersions)).toEqual(ordered);
      }),
    );
    for (const [index, a] of ordered.entries()) {
      for (const [other, b] of ordered.entries()) expect(compareVersions(a, b), `${a} vs ${b}`).toBe(Math.sign(index - other));
    }
  });

  it('ignores build metadata and stays lenient with what projects recorded', () => {
    expect(compareVersions('1.0.0+build.5', '1.0.0+build.9')).toBe(0);
    expect(compareVersions('1.0.0-rc.1+build.1', '1.0.0-rc.1')).toBe(0);
    expect(compareVersions('0.4', '0.4.0')).toBe(0);
    expect(compareVersions('V0.5.0', '0.4.0')).toBe(1);
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
