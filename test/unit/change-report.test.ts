import { describe, expect, it } from 'vitest';
import { formatChangeReport, formatConflicts } from '../../shared/engine/change-report.js';
import type { FileChange } from '../../shared/engine/reconcile.js';

const text: FileChange = { path: 'app/x.py', action: 'conflict', before: 'a\n', after: '<<<<<<< ours\na\n=======\nb\n>>>>>>> template\n', conflicts: 1 };
const binary: FileChange = {
  path: 'assets/logo.bin',
  action: 'conflict',
  before: { binary: Buffer.from([0, 1]) },
  sides: { ours: { binary: Buffer.from([0, 1]) }, theirs: { binary: Buffer.from([0, 2]) } },
  conflicts: 0,
};
const merged: FileChange = { path: 'README.md', action: 'merge', before: 'a\n', after: 'a\nb\n' };

describe('change report', () => {
  it('lists each conflicted file once: the report leaves them to the conflicts listing', () => {
    const output = `${formatChangeReport([merged, text, binary], { only: ['merge', 'keep', 'skip'] })}\n${formatConflicts([merged, text, binary])}`;
    for (const path of ['app/x.py', 'assets/logo.bin', 'README.md']) {
      expect(output.split('\n').filter((line) => line.includes(path)), path).toHaveLength(1);
    }
    expect(output).toContain('Changed: 1 merge, 2 conflict.');
  });

  it('says what to do with a binary conflict, never to resolve markers it does not have', () => {
    const dry = formatChangeReport([binary], { dryRun: true });
    expect(dry).toContain("assets/logo.bin  (not text, changed on both sides: yours is kept as it is; copy the template's over it by hand if you want it)");
    expect(dry).not.toContain('<<<<<<<');
    const listing = formatConflicts([binary]);
    expect(listing).not.toContain('markers');
    expect(listing).toContain('Decide for each one which version to keep,');
  });
});
