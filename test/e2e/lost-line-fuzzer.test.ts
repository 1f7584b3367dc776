/**
 * The lost-line fuzzer on disk, a seeded sample: each sequence runs the BUILT bin as a user would (`init
 * --skip-install`, `uv sync` once, then `add`/`remove` WITH the install step — uv sync, ruff format, ruff check
 * --fix — and, in some sequences, `update` to a second build), with random user edits between commands: their own
 * lines (comments, and `import os  # u<n>` in Python files), edited and deleted template lines, deleted and renamed
 * files, CRLF, no final newline, a byte that is not UTF-8 (0xe9), a file grown past 20k lines, and a symbolic link to
 * a file OUTSIDE the project (a template file, and a Python module of the user's). After every command: each user line is in its file (or inside a conflict block of
 * it), non-UTF-8 files keep their bytes, CRLF files stay CRLF, links stay links, nothing outside the project
 * changed, files the user deleted stay deleted, and exit code 0 ⇔ no conflict reported (and no markers written).
 *
 * Knobs: AEGIS_FUZZ_SEED repeats a run; AEGIS_FUZZ_SKIP_INSTALL=1 passes --skip-install to every command (to see
 * what the engine alone does, without the install step's formatter and lint fixes).
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { hasConflictMarkers } from '../../shared/engine/line-merge.js';
import { packageVersion } from '../../shared/package-info.js';
import { LOG_LEVEL_DOTENV, editBuiltCode } from '../support/built-code.js';
import { type Random, eolOf, insertLine, linesOf, seededRandom, whereIs } from '../support/lost-lines.js';
import { builtBin, mustRun, repoRoot, run, tempDir } from '../support/processes.js';
import { snapshotDifferences, snapshotTree } from '../support/tree-snapshot.js';

const SEQUENCES = 6;
const seed = Number(process.env.AEGIS_FUZZ_SEED ?? Date.now() % 1_000_000);
const SKIP_INSTALL = process.env.AEGIS_FUZZ_SKIP_INSTALL === '1';
const uv = resolveUv() ?? 'uv';
const root = tempDir('fuzz');
const outside = join(root, 'outside');
const binB = join(root, 'b', 'dist', 'cli', 'aegis.js');
const nextVersion = packageVersion.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));

const env = (): NodeJS.ProcessEnv => {
  // The real uv first (not a pyenv shim); the user's uv cache, shared with every other test.
  const result: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', AEGIS_CACHE_DIR: join(root, 'cache'), PATH: `${dirname(uv)}:${process.env.PATH ?? ''}` };
  delete result.VIRTUAL_ENV;
  return result;
};

/** What running a project leaves behind: not the user's files. */
const RUNTIME = /^(\.venv|\.ruff_cache|\.mypy_cache|\.pytest_cache|data)(\/|$)|__pycache__|^uv\.lock$/;

/** The project's files (bytes) and links (their targets), runtime leftovers aside. */
function readProject(dir: string): Map<string, Buffer | { link: string }> {
  const files = new Map<string, Buffer | { link: string }>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const rel = relative(dir, path);
      if (RUNTIME.test(rel)) continue;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) files.set(rel, { link: readlinkSync(path) });
      else if (stat.isDirectory()) walk(path);
      else files.set(rel, readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

interface Project {
  readonly name: string;
  readonly dir: string;
  readonly lines: Map<string, Set<string>>;
  /** Files holding a byte that is not UTF-8: their exact bytes. */
  readonly bytes: Map<string, Buffer>;
  readonly crlf: Set<string>;
  readonly deleted: Set<string>;
  /** Links the user made to files outside the project: path → target. */
  readonly links: Map<string, string>;
  readonly features: Set<string>;
  serial: number;
}

const counts = { sequences: 0, commands: 0, conflicts: 0, edits: {} as Record<string, number>, linesChecked: 0 };

/** Files with no template line the install step (ruff) rewrites: comments, edits and deletions are safe there. */
const PLAIN = ['README.md', '.env.example', 'docker-compose.yml', 'Makefile', '.github/workflows/ci.yml', 'pyproject.toml'];
/** Python files several features render into: the user adds imports and comments at the top level. */
const PYTHON = ['app/core/config.py', 'app/services/system/checks.py', 'tests/conftest.py', 'app/components/backend/api/routing.py'];
/** Files a user may delete or rename without breaking the install step (uv needs the README pyproject.toml names). */
const DISPOSABLE = ['Makefile', '.github/workflows/ci.yml', 'tests/test_config.py', 'tests/test_logging.py'];

function textOf(project: Project, path: string): string | undefined {
  if (project.bytes.has(path) || project.links.has(path) || project.deleted.has(path)) return undefined;
  const absolute = join(project.dir, path);
  if (!existsSync(absolute) || lstatSync(absolute).isSymbolicLink()) return undefined;
  return readFileSync(absolute, 'utf8');
}

function track(project: Project, path: string, line: string): void {
  const set = project.lines.get(path) ?? new Set<string>();
  set.add(line);
  project.lines.set(path, set);
}

function forget(project: Project, path: string): void {
  project.lines.delete(path);
  project.bytes.delete(path);
  project.crlf.delete(path);
}

type EditKind =
  | 'insert-top' | 'insert-middle' | 'insert-end' | 'python-import' | 'python-comment' | 'edit-line' | 'delete-line'
  | 'delete-file' | 'rename-file' | 'crlf' | 'no-final-newline' | 'non-utf8' | 'symlink-outside' | 'python-link-outside' | 'big';

/**
 * Files the build backend reads as UTF-8 during `uv sync` (the project's metadata and its `readme`): bytes that are
 * not UTF-8 there break the user's own install, which the command then reports with exit 1, so that edit goes elsewhere.
 */
const BUILD_READS = new Set(['pyproject.toml', 'README.md']);

function edit(project: Project, random: Random, kind: EditKind): void {
  if (kind === 'python-link-outside') {
    // A module of the user's kept outside the project (shared with another one), linked in, written their way.
    project.serial += 1;
    const path = `app/services/mine_u${project.serial}.py`;
    const target = join(outside, `${project.name}-mine_u${project.serial}.py`);
    writeFileSync(target, `"""Mine, kept outside the project."""\nRATE=0.2  # u${project.serial} my spacing\n`);
    symlinkSync(target, join(project.dir, path));
    project.links.set(path, target);
    counts.edits[kind] = (counts.edits[kind] ?? 0) + 1;
    return;
  }
  const candidates = (kind === 'python-import' || kind === 'python-comment' ? PYTHON : kind === 'delete-file' || kind === 'rename-file' ? DISPOSABLE : PLAIN).filter(
    (path) => textOf(project, path) !== undefined && !(kind === 'crlf' && project.crlf.has(path)) && !(kind === 'non-utf8' && BUILD_READS.has(path)),
  );
  if (!candidates.length) return;
  const path = random.pick(candidates);
  const absolute = join(project.dir, path);
  const text = textOf(project, path)!;
  const eol = eolOf(text);
  const lines = text.split(eol);
  const mark = (): string => {
    project.serial += 1;
    return `u${project.serial}`;
  };
  switch (kind) {
    case 'insert-top':
    case 'insert-middle':
    case 'insert-end': {
      const line = `# ${mark()} ${kind}`;
      const at = kind === 'insert-top' ? 0 : kind === 'insert-end' ? lines.length : 1 + random.int(Math.max(1, lines.length - 1));
      writeFileSync(absolute, insertLine(text, line, at));
      track(project, path, line);
      break;
    }
    case 'python-import': {
      // After the first top-level import (not a __future__ one): an import of the user's that nothing uses yet.
      const at = lines.findIndex((line) => /^(import |from )/.test(line) && !line.startsWith('from __future__'));
      const line = `import os  # ${mark()}`;
      writeFileSync(absolute, insertLine(text, line, at < 0 ? 0 : at + 1));
      track(project, path, line);
      break;
    }
    case 'python-comment': {
      const line = `# ${mark()} mine`;
      writeFileSync(absolute, random.chance(0.5) ? insertLine(text, line, 0) : insertLine(text, line, lines.length));
      track(project, path, line);
      break;
    }
    case 'edit-line':
    case 'delete-line': {
      const options = lines.map((line, index) => ({ line, index })).filter(({ line }) => line.trim() !== '' && !/# u\d+/.test(line));
      if (!options.length || path === 'pyproject.toml') return;
      const { line, index } = random.pick(options);
      if (kind === 'edit-line') {
        const edited = `${line}  # ${mark()} edited`;
        lines[index] = edited;
        track(project, path, edited);
      } else {
        lines.splice(index, 1);
      }
      writeFileSync(absolute, lines.join(eol));
      break;
    }
    case 'delete-file':
      rmSync(absolute);
      forget(project, path);
      project.deleted.add(path);
      break;
    case 'rename-file': {
      const renamed = path.replace(/(\.[a-z]+)?$/, (ext) => `-${mark()}${ext}`);
      renameSync(absolute, join(project.dir, renamed));
      const tracked = project.lines.get(path);
      const crlf = project.crlf.has(path);
      forget(project, path);
      project.deleted.add(path);
      if (tracked) project.lines.set(renamed, tracked);
      if (crlf) project.crlf.add(renamed);
      break;
    }
    case 'crlf':
      writeFileSync(absolute, text.replace(/\r?\n/g, '\r\n'));
      project.crlf.add(path);
      break;
    case 'no-final-newline':
      writeFileSync(absolute, text.replace(/\r?\n$/, ''));
      break;
    case 'non-utf8': {
      const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(`# caf`), Buffer.from([0xe9]), Buffer.from(eol)]);
      writeFileSync(absolute, bytes);
      forget(project, path);
      project.bytes.set(path, bytes);
      break;
    }
    case 'symlink-outside': {
      // The user keeps the real file elsewhere and links it in: no command may write through the link.
      const target = join(outside, `${project.name}-${path.replace(/\//g, '_')}`);
      writeFileSync(target, text);
      rmSync(absolute);
      symlinkSync(target, absolute);
      forget(project, path);
      project.links.set(path, target);
      break;
    }
    case 'big': {
      const tag = `# ${mark()} big`;
      const block = Array.from({ length: 20_000 }, (_, index) => `${tag} ${index}`);
      writeFileSync(absolute, insertLine(text, block.join(eol), lines.length));
      // Three of its lines stand for the block (first, middle, last).
      for (const index of [0, 10_000, 19_999]) track(project, path, block[index]!);
      break;
    }
  }
  counts.edits[kind] = (counts.edits[kind] ?? 0) + 1;
}

const KINDS: readonly EditKind[] = [
  'insert-top', 'insert-middle', 'insert-end', 'python-import', 'python-comment', 'edit-line', 'delete-line', 'delete-file',
  'rename-file', 'crlf', 'no-final-newline', 'non-utf8',
];

function randomEdits(project: Project, random: Random): void {
  for (let count = 1 + random.int(3); count > 0; count -= 1) edit(project, random, random.pick(KINDS));
}

/** Every conflict block resolved by keeping both sides (what a careful user does with their own lines). */
function resolveKeepingBoth(text: string): string {
  const eol = eolOf(text);
  const out: string[] = [];
  let inside = false;
  for (const line of text.split(eol)) {
    if (line.startsWith('<<<<<<< ')) inside = true;
    else if (inside && line.startsWith('>>>>>>> ')) inside = false;
    else if (!(inside && (line === '=======' || line.startsWith('||||||| ')))) out.push(line);
  }
  return out.join(eol);
}

/** Runs a command, checks every property, and resolves its conflicts as the user would. */
function command(project: Project, bin: string, args: string[], label: string, sentinel: Map<string, string>): void {
  const before = readProject(project.dir);
  const ran = run('node', [bin, ...args, ...(SKIP_INSTALL && !args.includes('--finish') ? ['--skip-install'] : [])], { cwd: project.dir, env: env() });
  counts.commands += 1;
  const after = readProject(project.dir);
  const output = `${ran.stdout}\n${ran.stderr}`;
  const where = `${project.name}: ${label} (seed ${seed})`;
  const conflictReported = /^\s*conflict\s/m.test(output) || /\b\d+ conflicts?\b/.test(output);
  if (conflictReported) counts.conflicts += 1;
  expect.soft(ran.status === 0, `${where}: exit ${ran.status} ⇔ conflicts reported ${conflictReported}\n${output.slice(-3000)}`).toBe(!conflictReported);
  const written = [...after].filter(([path, contents]) => {
    const was = before.get(path);
    return was === undefined || Buffer.isBuffer(was) !== Buffer.isBuffer(contents) || (Buffer.isBuffer(was) && !was.equals(contents as Buffer));
  });
  for (const [path, contents] of written) {
    if (!Buffer.isBuffer(contents) || ran.status !== 0) continue;
    expect.soft(hasConflictMarkers(contents.toString('utf8')), `${where}: exit 0, yet ${path} was written with markers`).toBe(false);
  }
  // Nothing outside the project changed; links are still the user's links.
  expect.soft(snapshotDifferences(sentinel, snapshotTree(outside)), `${where}: files outside the project changed`).toEqual([]);
  for (const [path, target] of project.links) {
    const now = after.get(path);
    expect.soft(now !== undefined && !Buffer.isBuffer(now) && now.link === target, `${where}: ${path} is no longer the user's link`).toBe(true);
  }
  for (const path of project.deleted) expect.soft(after.has(path), `${where}: ${path}, deleted by the user, came back`).toBe(false);
  for (const [path, bytes] of project.bytes) {
    const now = after.get(path);
    const same = Buffer.isBuffer(now) && now.equals(bytes);
    expect.soft(same, `${where}: the bytes of ${path} (not UTF-8) changed${Buffer.isBuffer(now) ? `; its end is now ${now.subarray(-8).toString('hex')}, was ${bytes.subarray(-8).toString('hex')}` : ''}`).toBe(true);
    // Reported once: the next commands check the rest.
    if (!same) project.bytes.delete(path);
  }
  for (const path of project.crlf) {
    const now = after.get(path);
    if (Buffer.isBuffer(now)) expect.soft(eolOf(now.toString('utf8')), `${where}: ${path} lost its CRLF`).toBe('\r\n');
  }
  for (const [path, wanted] of project.lines) {
    const now = after.get(path);
    if (!Buffer.isBuffer(now)) {
      expect.soft(now, `${where}: ${path}, which holds user lines, is gone`).toBeDefined();
      continue;
    }
    const text = now.toString('utf8');
    const lines = new Set(linesOf(text));
    for (const line of wanted) {
      counts.linesChecked += 1;
      if (lines.has(line)) continue;
      const found = whereIs(text, line);
      expect.soft(found, `${where}: "${line}" lost from ${path}`).not.toBe('lost');
      if (found === 'lost') wanted.delete(line);
    }
  }
  if (conflictReported) {
    for (const [path, contents] of written) {
      if (Buffer.isBuffer(contents) && hasConflictMarkers(contents.toString('utf8'))) {
        writeFileSync(join(project.dir, path), resolveKeepingBoth(contents.toString('utf8')));
      }
    }
    if (args[0] === 'update') {
      const finish = run('node', [bin, 'update', '--finish', ...(SKIP_INSTALL ? ['--skip-install'] : [])], { cwd: project.dir, env: env() });
      counts.commands += 1;
      expect.soft(finish.status, `${where}: update --finish\n${finish.stdout}\n${finish.stderr}`).toBe(0);
    }
  }
}

const FEATURES = ['redis', 'scheduler', 'worker', 'database', 'auth', 'ingress'];
const REQUIRES: Record<string, string> = { worker: 'redis', auth: 'database' };

function sequence(index: number): void {
  const random = seededRandom(seed * 31 + index);
  const start = random.pick(['', 'redis', 'scheduler', 'database']);
  const name = `fuzz${index}`;
  // No git repository: the fuzzer's edits stay uncommitted between commands, which update refuses in a work tree.
  const args = ['init', name, '--yes', '--skip-install', '--skip-git', '--python-version', '3.11', ...(start ? ['--components', start] : [])];
  mustRun('node', [builtBin, ...args], { cwd: root, env: env() });
  const project: Project = {
    name,
    dir: join(root, name),
    lines: new Map(),
    bytes: new Map(),
    crlf: new Set(),
    deleted: new Set(),
    links: new Map(),
    features: new Set(start ? [start] : []),
    serial: 0,
  };
  mustRun(uv, ['sync', '--quiet'], { cwd: project.dir, env: env() });
  // Every sequence: an unused import of the user's in a Python file and a link to a file outside the project.
  edit(project, random, 'python-import');
  edit(project, random, 'symlink-outside');
  edit(project, random, 'python-link-outside');
  if (index === 1) edit(project, random, 'big');
  if (index % 3 === 2) edit(project, random, 'non-utf8');
  const steps = 2 + random.int(2);
  for (let step = 1; step <= steps; step += 1) {
    randomEdits(project, random);
    const sentinelNow = snapshotTree(outside);
    const present = [...project.features];
    const removable = present.filter((feature) => !present.some((other) => REQUIRES[other] === feature));
    const addable = FEATURES.filter((feature) => !project.features.has(feature));
    if (removable.length && (random.chance(0.35) || !addable.length)) {
      const feature = random.pick(removable);
      command(project, builtBin, ['remove', feature, '--yes'], `step ${step}: remove ${feature}`, sentinelNow);
      project.features.delete(feature);
    } else {
      const feature = random.pick(addable);
      command(project, builtBin, ['add', feature, '--yes'], `step ${step}: add ${feature}`, sentinelNow);
      project.features.add(feature);
      if (REQUIRES[feature]) project.features.add(REQUIRES[feature]!);
    }
  }
  if (index % 3 === 0) {
    randomEdits(project, random);
    command(project, binB, ['update', '--from', repoRoot], `update to ${nextVersion}`, snapshotTree(outside));
  }
  counts.sequences += 1;
}

describe(`lost-line fuzzer on disk, through the built bin${SKIP_INSTALL ? ' (AEGIS_FUZZ_SKIP_INSTALL: no install step)' : ', install step on'}`, () => {
  const started = Date.now();
  beforeAll(() => {
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'outside the project\n');
    // Build B: this build with a bumped version and a few template changes, for `update`.
    const b = join(root, 'b');
    mkdirSync(b);
    for (const part of ['package.json', 'CHANGELOG.md', 'dist']) cpSync(join(repoRoot, part), join(b, part), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(b, 'node_modules'));
    const manifest = JSON.parse(readFileSync(join(b, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(b, 'package.json'), JSON.stringify({ ...manifest, version: nextVersion }, null, 2));
    const templates = join(b, 'dist', 'base', 'templates');
    const change = (path: string, edit: (text: string) => string): void => {
      const before = readFileSync(join(templates, path), 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`build B: ${path} did not change`);
      writeFileSync(join(templates, path), after);
    };
    change('README.md.ejs', (text) => text.replace('A FastAPI service with a health system,', 'A FastAPI service with health checks,'));
    editBuiltCode(join(b, 'dist'), LOG_LEVEL_DOTENV, '$1$2WARNING$2$3');
    change('docker-compose.yml.ejs', (text) => text.replaceAll('interval: 30s', 'interval: 20s'));
    writeFileSync(join(templates, 'docs-ops.md'), '# Operations\n');
  });
  afterAll(() => {
    process.stdout.write(
      `lost-line fuzzer on disk (seed ${seed}, AEGIS_FUZZ_SEED to repeat${SKIP_INSTALL ? ', install step skipped' : ', install step on'}): ` +
        `${counts.sequences} sequences, ${counts.commands} commands (${counts.conflicts} with conflicts), edits ${JSON.stringify(counts.edits)}, ` +
        `${counts.linesChecked} user lines checked, ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    rmSync(root, { recursive: true, force: true });
  });

  for (let index = 0; index < SEQUENCES; index += 1) {
    it(`sequence ${index}: no user line lost, nothing written outside, exit 0 ⇔ no conflict`, () => sequence(index), 120_000);
  }
});
