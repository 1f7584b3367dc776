import { describe, expect, it } from 'vitest';
import { contributionHash } from '../../testing/contribution-hash.js';

const base = 'import os\n\nclass Settings:\n    debug: bool = False\n    # slot\n\nsettings = Settings()\n';
const withPlugin = base.replace('    # slot\n', '    # slot\n    flags: str = ""\n');

describe("a plugin golden's hash of one file", () => {
  it('does not move when the base edits other lines of the file', () => {
    const newBase = base.replace('import os\n', 'import os\nimport sys\n').replace('debug: bool', 'debug: bool | None');
    const newWithPlugin = withPlugin.replace('import os\n', 'import os\nimport sys\n').replace('debug: bool', 'debug: bool | None');
    expect(contributionHash(newBase, newWithPlugin)).toBe(contributionHash(base, withPlugin));
  });

  it('moves when what the feature adds changes', () => {
    expect(contributionHash(base, withPlugin.replace('flags: str', 'flags: list[str]'))).not.toBe(contributionHash(base, withPlugin));
  });

  it('hashes a new file by its contents and marks a deleted one', () => {
    expect(contributionHash(undefined, 'a\n')).toMatch(/^[0-9a-f]{64}$/);
    expect(contributionHash(undefined, 'a\n')).not.toBe(contributionHash(undefined, 'b\n'));
    expect(contributionHash('a\n', undefined)).toBe('deleted');
    expect(contributionHash(base, withPlugin)).toMatch(/^changed:[0-9a-f]{64}$/);
  });
});
