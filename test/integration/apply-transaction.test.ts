/**
 * The all-or-nothing apply on a real disk: a failure at every step, a SIGKILL at every step (in a child process,
 * then the next command's recovery), an immutable file and folder (chattr +i), a full disk (a small tmpfs), and
 * symbolic links. After each: the tree equals the tree before or the tree after, never anything between.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, type FileWrite, applyAtomically, recoverInterruptedChange } from '../../shared/engine/apply-transaction.js';
import { isAegisError } from '../../shared/errors.js';
import { repoRoot, tempDir } from '../support/processes.js';
import { runsWith } from '../support/requirements.js';
import { snapshotDifferences, snapshotTree } from '../support/tree-snapshot.js';

const scratch = tempDir('transaction');
afterAll(() => {
  spawnSync('chattr', ['-R', '-i', scratch]);
  spawnSync('umount', ['-l', join(scratch, 'small')]);
  rmSync(scratch, { recursive: true, force: true });
});

let counter = 0;
/** A small project: files to update, delete and keep, a script with its mode, a link, and a folder to fill. */
function project(): string {
  const root = join(scratch, `p${(counter += 1)}`);
  mkdirSync(join(root, 'app', 'core'), { recursive: true });
  mkdirSync(join(root, 'old'), { recursive: true });
  writeFileSync(join(root, '.yo-rc.json'), '{"generator-aegis":{"version":"1"}}\n');
  writeFileSync(join(root, 'app', 'core', 'config.py'), 'A = 1\n');
  writeFileSync(join(root, 'old', 'gone.py'), 'gone\n');
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho old\n');
  chmodSync(join(root, 'run.sh'), 0o755);
  writeFileSync(join(root, 'mine.txt'), 'the user\'s own\n');
  symlinkSync('mine.txt', join(root, 'link.txt'));
  return root;
}

const WRITES: FileWrite[] = [
  { path: '.yo-rc.json', contents: Buffer.from('{"generator-aegis":{"version":"2"}}\n') },
  { path: 'app/core/config.py', contents: Buffer.from('A = 2\n') },
  { path: 'app/components/worker/jobs.py', contents: Buffer.from('JOBS = []\n') },
  { path: 'old/gone.py' },
  { path: 'run.sh', contents: Buffer.from('#!/bin/sh\necho new\n') },
  { path: 'assets/logo.bin', contents: Buffer.from([0x89, 0, 0xff, 0xfe]) },
];

function afterSnapshot(): Map<string, string> {
  const root = project();
  applyAtomically(root, WRITES, '.yo-rc.json');
  return snapshotTree(root);
}

const leftovers = (root: string): string[] => {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (/\.aegis-(new|old)-|^\.aegis-journal/.test(name)) found.push(join(dir, name));
      const path = join(dir, name);
      if (existsSync(path) && !name.includes('link') && spawnSync('test', ['-d', path]).status === 0) walk(path);
    }
  };
  walk(root);
  return found;
};

const STEPS = 2 * WRITES.length + 3;

describe('applyAtomically', () => {
  const after = afterSnapshot();

  it('writes, deletes and creates folders, keeps modes, and leaves no journal or staged file behind', () => {
    const root = project();
    applyAtomically(root, WRITES, '.yo-rc.json');
    expect(readFileSync(join(root, 'app/core/config.py'), 'utf8')).toBe('A = 2\n');
    expect(existsSync(join(root, 'old'))).toBe(false);
    expect(snapshotTree(root).get('run.sh')).toMatch(/^755 /);
    expect(snapshotTree(root).get('link.txt')).toBe('link mine.txt');
    expect(leftovers(root)).toEqual([]);
  });

  it.each(Array.from({ length: STEPS }, (_, step) => step + 1))('a failure after step %i leaves the tree as it was', (failAt) => {
    const root = project();
    const before = snapshotTree(root);
    let step = 0;
    let thrown: unknown;
    try {
      applyAtomically(root, WRITES, '.yo-rc.json', {
        afterStep: () => {
          step += 1;
          if (step === failAt) throw Object.assign(new Error('disk went away'), { code: 'EIO' });
        },
      });
    } catch (error) {
      thrown = error;
    }
    if (failAt === STEPS) {
      // The last step is the commit: every file is in place, so the change stands.
      expect(snapshotDifferences(snapshotTree(root), after)).toEqual([]);
      return;
    }
    expect(isAegisError(thrown)).toBe(true);
    expect(String((thrown as Error).message)).toMatch(/Nothing was changed/);
    expect(snapshotDifferences(snapshotTree(root), before)).toEqual([]);
    expect(leftovers(root)).toEqual([]);
  });

  it.each(Array.from({ length: STEPS }, (_, step) => step + 1))(
    'a SIGKILL after step %i, then the next command: the tree before or after, and .yo-rc.json only new with every file',
    (killAt) => {
      const root = project();
      const before = snapshotTree(root);
      const script = join(scratch, `kill-${killAt}.mjs`);
      const module = join(repoRoot, 'dist', 'shared', 'engine', 'apply-transaction.js');
      const writes = WRITES.map((write) => ({ path: write.path, ...(write.contents ? { contents: [...write.contents] } : {}) }));
      writeFileSync(
        script,
        `import { applyAtomically } from ${JSON.stringify(module)};\n` +
          `const writes = ${JSON.stringify(writes)}.map((w) => (w.contents ? { path: w.path, contents: Buffer.from(w.contents) } : w));\n` +
          `let step = 0;\n` +
          `applyAtomically(${JSON.stringify(root)}, writes, '.yo-rc.json', { afterStep: () => { if (++step === ${killAt}) process.kill(process.pid, 'SIGKILL'); } });\n`,
      );
      const child = spawnSync(process.execPath, [script]);
      expect(child.signal).toBe('SIGKILL');
      const note = recoverInterruptedChange(root);
      expect(note).toMatch(/rolled back|complete/);
      const now = snapshotTree(root);
      const state = readFileSync(join(root, '.yo-rc.json'), 'utf8');
      if (state.includes('"2"')) expect(snapshotDifferences(now, after)).toEqual([]);
      else expect(snapshotDifferences(now, before)).toEqual([]);
      expect(leftovers(root)).toEqual([]);
      expect(recoverInterruptedChange(root)).toBeUndefined();
    },
  );

  it('never writes through a symbolic link, in the file or in a folder of its path', () => {
    const root = project();
    const outside = join(scratch, `outside-${counter}`);
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'linked'));
    symlinkSync(join(outside, 'dangling.py'), join(root, 'dangling.py'));
    const before = snapshotTree(root);
    for (const path of ['linked/x.py', 'dangling.py', 'link.txt']) {
      expect(() => applyAtomically(root, [{ path, contents: Buffer.from('x\n') }], '.yo-rc.json')).toThrow(/symbolic link/);
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(snapshotDifferences(snapshotTree(root), before)).toEqual([]);
  });

  it('refuses a path outside the project, and a file where a folder goes, before anything is written', () => {
    const root = project();
    const before = snapshotTree(root);
    expect(() => applyAtomically(root, [{ path: '../escape.py', contents: Buffer.from('x') }])).toThrow(/not inside the project/);
    expect(() => applyAtomically(root, [{ path: 'mine.txt/x.py', contents: Buffer.from('x') }])).toThrow(/is a file, but the template has a folder there/);
    expect(snapshotDifferences(snapshotTree(root), before)).toEqual([]);
  });
});

const root = process.getuid?.() === 0;
const chattrWorks = runsWith(
  root && spawnSync('chattr', ['--help']).error === undefined,
  'applyAtomically against a file system saying no',
  'it runs as root with chattr (e2fsprogs) and mount',
);

describe.skipIf(!chattrWorks)('applyAtomically against the file system saying no (as root: chattr, tmpfs)', () => {
  it('an immutable target file (EPERM): one clear error, nothing changed', () => {
    const dir = project();
    const before = snapshotTree(dir);
    const immutable = join(dir, 'app', 'core', 'config.py');
    expect(spawnSync('chattr', ['+i', immutable]).status).toBe(0);
    try {
      expect(() => applyAtomically(dir, WRITES, '.yo-rc.json')).toThrow(/config\.py.*not permitted.*Nothing was changed/);
      expect(snapshotDifferences(snapshotTree(dir), before)).toEqual([]);
      expect(leftovers(dir)).toEqual([]);
    } finally {
      spawnSync('chattr', ['-i', immutable]);
    }
  });

  it('an immutable folder (nothing can be created in it): nothing changed', () => {
    const dir = project();
    const before = snapshotTree(dir);
    const folder = join(dir, 'app');
    expect(spawnSync('chattr', ['+i', folder]).status).toBe(0);
    try {
      expect(() => applyAtomically(dir, WRITES, '.yo-rc.json')).toThrow(/Nothing was changed/);
      expect(snapshotDifferences(snapshotTree(dir), before)).toEqual([]);
      expect(leftovers(dir)).toEqual([]);
    } finally {
      spawnSync('chattr', ['-i', folder]);
    }
  });

  it('a full disk (ENOSPC on a 1 MiB tmpfs): nothing changed', () => {
    const small = join(scratch, 'small');
    mkdirSync(small, { recursive: true });
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    if (mounted.status !== 0) throw new Error(`mount failed: ${String(mounted.stderr)}`);
    const dir = join(small, 'project');
    mkdirSync(dir);
    writeFileSync(join(dir, '.yo-rc.json'), '{"v":1}\n');
    writeFileSync(join(dir, 'README.md'), '# mine\n');
    const before = snapshotTree(dir);
    const writes: FileWrite[] = [
      { path: 'README.md', contents: Buffer.from('# new\n') },
      { path: 'big.bin', contents: Buffer.alloc(2 * 1024 * 1024, 1) },
      { path: '.yo-rc.json', contents: Buffer.from('{"v":2}\n') },
    ];
    expect(() => applyAtomically(dir, writes, '.yo-rc.json')).toThrow(/No space left.*\(ENOSPC\)\. Nothing was changed/);
    expect(snapshotDifferences(snapshotTree(dir), before)).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.includes('.aegis-'))).toEqual([]);
  });

  it('a journal left by a killed command is rolled back by the next one, and a damaged one is refused with the fix', () => {
    const dir = project();
    writeFileSync(join(dir, JOURNAL_FILE), 'not json');
    expect(() => recoverInterruptedChange(dir)).toThrow(/damaged.*restore the project from version control/);
  });
});
