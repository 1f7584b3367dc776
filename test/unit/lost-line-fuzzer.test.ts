/**
 * The lost-line fuzzer, in memory: random sequences of `init`, user edits (their own lines at the top, middle and
 * end of shared files, edited and deleted template lines, deleted and renamed files, CRLF, no final newline, bytes
 * that are not UTF-8, symbolic links, a file grown past 20k lines) and commands (`add`, `remove`, `update`), each
 * planned by the real planner (planProjectChange on a Map disk) and applied as the CLI applies it. After every
 * command: each user line is still in its file (or inside a conflict block of it), files that are not text keep
 * their bytes, nothing is written at a symbolic link, no conflict means no markers, and a file the user deleted
 * comes back only when the template newly adds it. AEGIS_FUZZ_SEED repeats a run; AEGIS_FUZZ_SEQUENCES sets the count.
 *
 * A file given a byte that is not UTF-8 is held here as `{ binary }` (what the planner should make of it); the real
 * disk reader decodes it as text today — see test/integration/non-utf8-bytes.test.ts. The user resolves every
 * conflict (keeping both sides) before the next command; what happens when they do not is the expected-fail case
 * at the end.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ProjectAnswers } from '../../shared/model/answers.js';
import { isAegisError } from '../../shared/errors.js';
import type { FeatureRequest } from '../../shared/model/feature-request.js';
import { type Selection, addFeatures, removeFeatures } from '../../shared/model/feature-selection.js';
import { type ProjectDisk, planProjectChange } from '../../shared/engine/project-change.js';
import { type ProjectState, STATE_FILE } from '../../shared/model/project-state.js';
import { type FileChange, type FileContents, contentBytes, isBinary } from '../../shared/engine/reconcile.js';
import { type RenderedTree, render } from '../../shared/engine/render.js';
import { TEST_VERSION } from '../support/memory-project.js';
import { SHARED_FILES, type Random, USER_MARK, eolOf, hasConflictMarkers, insertLine, linesOf, seededRandom, whereIs } from '../support/lost-lines.js';
import { OPTIONAL_FEATURES, STACKS, stackAnswers } from '../support/stack-matrix.js';

/** render() is pure: the planner's renders are cached per answers, so a run renders each set of answers once. */
const renders = vi.hoisted(() => new Map<string, unknown>());
vi.mock('../../shared/engine/render.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../shared/engine/render.js')>();
  return {
    ...original,
    render: (answers: ProjectAnswers, options: { readonly generatorVersion: string }): RenderedTree => {
      const key = JSON.stringify([answers, options.generatorVersion]);
      let tree = renders.get(key) as RenderedTree | undefined;
      if (!tree) {
        tree = original.render(answers, options);
        renders.set(key, tree);
      }
      return tree;
    },
  };
});

const SEQUENCES = Number(process.env.AEGIS_FUZZ_SEQUENCES ?? 300);
const seed = Number(process.env.AEGIS_FUZZ_SEED ?? Date.now() % 1_000_000);
/** Distinct answers a run may render (~60 ms each): past it, commands stay within answers already rendered. */
const RENDER_BUDGET = 22;
const BIG_LINES = 20_000;
/** A 20k-line file costs ~0.1 s per command: one sequence in BIG_EVERY grows one. */
const BIG_EVERY = 25;
const STACK_ANSWERS = STACKS.map((stack) => stackAnswers(stack));

const key = (answers: ProjectAnswers): string => JSON.stringify([answers, TEST_VERSION]);
const renderOf = (answers: ProjectAnswers): RenderedTree => render(answers, { generatorVersion: TEST_VERSION });
const affordable = (answers: ProjectAnswers): boolean => renders.has(key(answers)) || renders.size < RENDER_BUDGET;

interface Project {
  readonly files: Map<string, FileContents>;
  /** Symbolic links the user made: where (a file or a folder) → target. */
  readonly links: Map<string, string>;
  /** The user's own lines, by file. */
  readonly lines: Map<string, Set<string>>;
  /** A block of BIG_LINES lines of the user's: the file, its tag and how many lines carry it. */
  readonly big: Map<string, string>;
  /** Files that are not text: their exact bytes. */
  readonly bytes: Map<string, Buffer>;
  /** Files the user turned to CRLF. */
  readonly crlf: Set<string>;
  /** Paths the user deleted (or renamed away). */
  readonly deleted: Set<string>;
  answers: ProjectAnswers;
  /** Whether this sequence may grow a file past 20k lines. */
  readonly bigAllowed: boolean;
}

const counts = {
  sequences: 0,
  commands: { add: 0, remove: 0, update: 0, impossible: 0 },
  edits: {} as Record<string, number>,
  actions: { create: 0, update: 0, merge: 0, conflict: 0, delete: 0, keep: 0, skip: 0 } as Record<string, number>,
  linesChecked: 0,
  linesInConflict: 0,
  resolved: 0,
};
let serial = 0;

function fail(message: string): never {
  throw new Error(message);
}

function count(kind: string): void {
  counts.edits[kind] = (counts.edits[kind] ?? 0) + 1;
}

const under = (path: string, at: string): boolean => path === at || path.startsWith(`${at}/`);
function linkOf(project: Project, path: string): { at: string; target: string } | undefined {
  for (const [at, target] of project.links) if (under(path, at)) return { at, target };
  return undefined;
}

function disk(project: Project): ProjectDisk {
  return {
    read: (path) => (linkOf(project, path) ? undefined : project.files.get(path)),
    link: (path) => linkOf(project, path),
  };
}

/** Forgets everything tracked about a path (the user deleted it, or it now sits behind a link). */
function forget(project: Project, path: string): void {
  project.files.delete(path);
  project.lines.delete(path);
  project.big.delete(path);
  project.bytes.delete(path);
  project.crlf.delete(path);
}

function textFiles(project: Project): string[] {
  return [...project.files].filter(([path, contents]) => path !== STATE_FILE && typeof contents === 'string').map(([path]) => path);
}

function sharedTextFile(project: Project, random: Random): string | undefined {
  const shared = SHARED_FILES.filter((path) => typeof project.files.get(path) === 'string');
  if (shared.length && random.chance(0.8)) return random.pick(shared);
  const any = textFiles(project);
  return any.length ? random.pick(any) : undefined;
}

function track(project: Project, path: string, line: string): void {
  const set = project.lines.get(path) ?? new Set<string>();
  set.add(line);
  project.lines.set(path, set);
}

function userLine(path: string, kind: string): string {
  serial += 1;
  return path.endsWith('.py') && kind !== 'big' && serial % 2 === 0 ? `import os  # u${serial} ${kind}` : `# u${serial} ${kind}`;
}

/** One random user edit. */
function edit(project: Project, random: Random, forced?: 'big'): void {
  const kind = forced ?? random.pick([
    'insert-top', 'insert-middle', 'insert-end', 'insert-middle', 'insert-end', 'edit-line', 'edit-line', 'delete-line',
    'delete-file', 'rename-file', 'crlf', 'no-final-newline', 'non-utf8', 'symlink', 'big',
  ] as const);
  const path = sharedTextFile(project, random);
  if (path === undefined) return;
  const text = project.files.get(path) as string;
  const eol = eolOf(text);
  const lines = text.split(eol);
  switch (kind) {
    case 'insert-top':
    case 'insert-middle':
    case 'insert-end': {
      const line = userLine(path, kind);
      const at = kind === 'insert-top' ? 0 : kind === 'insert-end' ? lines.length : 1 + random.int(Math.max(1, lines.length - 1));
      project.files.set(path, insertLine(text, line, at));
      track(project, path, line);
      break;
    }
    case 'edit-line':
    case 'delete-line': {
      const candidates = lines.map((line, index) => ({ line, index })).filter(({ line }) => line.trim() !== '' && !USER_MARK.test(line));
      if (!candidates.length) return;
      const { line, index } = random.pick(candidates);
      if (kind === 'edit-line') {
        serial += 1;
        const edited = `${line}  # u${serial} edited`;
        lines[index] = edited;
        track(project, path, edited);
      } else {
        lines.splice(index, 1);
      }
      project.files.set(path, lines.join(eol));
      break;
    }
    case 'delete-file':
      forget(project, path);
      project.deleted.add(path);
      break;
    case 'rename-file': {
      serial += 1;
      const renamed = path.replace(/(\.[a-z]+)?$/, (ext) => `-u${serial}${ext}`);
      const tracked = project.lines.get(path);
      const crlf = project.crlf.has(path);
      forget(project, path);
      project.deleted.add(path);
      project.files.set(renamed, text);
      if (tracked) project.lines.set(renamed, tracked);
      if (crlf) project.crlf.add(renamed);
      break;
    }
    case 'crlf':
      project.files.set(path, text.replace(/\r?\n/g, '\r\n'));
      if (text.includes('\n')) project.crlf.add(path);
      break;
    case 'no-final-newline':
      project.files.set(path, text.replace(/\r?\n$/, ''));
      break;
    case 'non-utf8': {
      // 0xe9 alone is not UTF-8: the file is no longer text and is never merged line by line.
      const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(eol)]);
      project.files.set(path, { binary: bytes });
      project.bytes.set(path, bytes);
      project.lines.delete(path);
      project.big.delete(path);
      project.crlf.delete(path);
      break;
    }
    case 'symlink': {
      const parts = path.split('/');
      const at = parts.slice(0, 1 + random.int(parts.length)).join('/');
      if (at === STATE_FILE) return;
      for (const file of [...project.files.keys()]) if (under(file, at)) forget(project, file);
      project.links.set(at, `../outside/${at}`);
      break;
    }
    case 'big': {
      if (project.big.size || !project.bigAllowed) return;
      serial += 1;
      const tag = `# u${serial} big`;
      const block = Array.from({ length: BIG_LINES }, (_, index) => `${tag} ${index}`).join(eol);
      project.files.set(path, insertLine(text, block, random.chance(0.5) ? lines.length : Math.floor(lines.length / 2)));
      project.big.set(path, tag);
      break;
    }
  }
  count(kind);
}

function answersWith(answers: ProjectAnswers, selection: Selection): ProjectAnswers {
  return { ...answers, components: [...selection.components], services: [...selection.services], options: selection.options };
}

function randomRequest(random: Random): FeatureRequest {
  const spec = random.pick(OPTIONAL_FEATURES);
  const options: Record<string, string> = {};
  for (const option of spec.options) {
    if (!random.chance(0.5)) continue;
    if (option.text) options[option.name] = random.chance(0.5) ? option.text.example : '';
    else if (option.multiple) options[option.name] = option.values.filter(() => random.chance(0.5)).join(',') || option.values[0]!;
    else options[option.name] = random.pick(option.values);
  }
  return { name: spec.name, options };
}

/** A template change: the render before it is the current one with lines dropped, altered and added, a file gone, a file more. */
function olderTemplate(current: RenderedTree, random: Random): Map<string, FileContents> {
  const base = new Map(current);
  const texts = [...base].filter(([path, contents]) => path !== STATE_FILE && typeof contents === 'string').map(([path]) => path);
  for (let file = 0; file < 1 + random.int(4); file += 1) {
    const path = random.chance(0.6) ? random.pick(SHARED_FILES.filter((p) => base.has(p))) : random.pick(texts);
    const lines = (base.get(path) as string).split('\n');
    for (let change = 0; change < 1 + random.int(3); change += 1) {
      const at = random.int(lines.length);
      const what = random.int(3);
      if (what === 0) lines.splice(at, 1);
      else if (what === 1) lines[at] = `${lines[at]} (older template)`;
      else lines.splice(at, 0, 'older template line');
    }
    base.set(path, lines.join('\n'));
  }
  if (random.chance(0.5)) base.delete(random.pick(texts));
  if (random.chance(0.5)) base.set('docs/retired.md', '# Retired\n');
  return base;
}

/** The command: the planner's changes, applied to the Map as the CLI writes them. */
function runCommand(project: Project, label: string, before: ProjectState, after: ProjectState, beforeTree: RenderedTree): void {
  const changes = planProjectChange({ root: '/nowhere', before, after, beforeTree, disk: disk(project) });
  const theirs = renderOf(after.answers);
  const written: FileChange[] = [];
  for (const change of changes) {
    counts.actions[change.action] = (counts.actions[change.action] ?? 0) + 1;
    const where = `${label} (seed ${seed}): ${change.path} ${change.action}`;
    if (change.action === 'delete' || change.after !== undefined) {
      // Plain checks in the hot loop: expect() costs more than the planner here.
      if (linkOf(project, change.path)) fail(`${where}: written through a symbolic link`);
      written.push(change);
    }
    if (change.action === 'delete') project.files.delete(change.path);
    else if (change.after !== undefined) project.files.set(change.path, change.after);
    if (change.action === 'create' && project.deleted.has(change.path)) {
      // A file the user deleted comes back only when the template newly adds it.
      if (beforeTree.has(change.path) || !theirs.has(change.path)) fail(`${where}: a file the user deleted came back`);
      project.deleted.delete(change.path);
    }
  }
  const conflicted = changes.some((change) => change.action === 'conflict');
  for (const change of written) {
    if (typeof change.after !== 'string') continue;
    if (change.action !== 'conflict' && !change.after.includes('<<<<<<< ') && !change.after.includes('>>>>>>> ')) continue;
    const marked = hasConflictMarkers(change.after);
    if (!conflicted && marked) fail(`${label} (seed ${seed}): no conflict reported, yet ${change.path} has markers`);
    if (change.action === 'conflict' && !marked) fail(`${label} (seed ${seed}): ${change.path} in conflict without markers`);
  }
  check(project, label);
  // The user resolves each conflict before the next command (the CLI tells them to): both sides kept, markers gone.
  for (const change of changes) {
    if (change.action === 'conflict' && typeof change.after === 'string') {
      project.files.set(change.path, resolveKeepingBoth(change.after));
      counts.resolved += 1;
    }
  }
}

/** A conflicted text with its marker lines dropped: ours, then theirs, inside each block. */
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

/** The properties, after every command. */
function check(project: Project, label: string): void {
  for (const path of project.deleted) {
    expect(project.files.has(path), `${label} (seed ${seed}): ${path}, deleted by the user, came back`).toBe(false);
  }
  for (const [path, wanted] of project.lines) {
    const contents = project.files.get(path);
    expect(contents, `${label} (seed ${seed}): ${path}, which holds user lines, is gone`).toBeDefined();
    if (isBinary(contents!)) throw new Error(`${path} became binary under the user's lines`);
    const text = contents as string;
    const lines = new Set(linesOf(text));
    for (const line of wanted) {
      counts.linesChecked += 1;
      if (lines.has(line) && !text.includes('<<<<<<< ')) continue;
      const where = whereIs(text, line);
      if (where === 'conflict') counts.linesInConflict += 1;
      expect(where, `${label} (seed ${seed}): "${line}" lost from ${path}`).not.toBe('lost');
    }
  }
  for (const [path, tag] of project.big) {
    const text = project.files.get(path);
    expect(typeof text, `${label}: ${path} (the 20k-line file) is gone or not text`).toBe('string');
    const found = linesOf(text as string).filter((line) => line.startsWith(`${tag} `)).length;
    expect(found, `${label} (seed ${seed}): lines of the 20k-line block in ${path}`).toBe(BIG_LINES);
  }
  for (const [path, bytes] of project.bytes) {
    const contents = project.files.get(path);
    expect(contents !== undefined && contentBytes(contents).equals(bytes), `${label} (seed ${seed}): the bytes of ${path} changed`).toBe(true);
  }
  for (const path of project.crlf) {
    const contents = project.files.get(path);
    if (typeof contents === 'string') expect(eolOf(contents), `${label} (seed ${seed}): ${path} lost its CRLF`).toBe('\r\n');
  }
}

function command(project: Project, random: Random, step: number): void {
  const state: ProjectState = { version: TEST_VERSION, answers: project.answers };
  const which = random.pick(['add', 'add', 'remove', 'update'] as const);
  if (which === 'update') {
    const theirs = renderOf(project.answers);
    const base = olderTemplate(theirs, random);
    counts.commands.update += 1;
    runCommand(project, `step ${step}: update`, state, state, base);
    return;
  }
  for (let attempt = 0; attempt < 8; attempt += 1) {
    let next: ProjectAnswers;
    let label: string;
    try {
      if (which === 'add') {
        const request = randomRequest(random);
        next = answersWith(project.answers, addFeatures(project.answers, [request]).selection);
        label = `add ${request.name}${JSON.stringify(request.options)}`;
      } else {
        const name = random.pick(OPTIONAL_FEATURES).name;
        next = answersWith(project.answers, removeFeatures(project.answers, [name]).selection);
        label = `remove ${name}`;
      }
    } catch (error) {
      if (!isAegisError(error)) throw error;
      counts.commands.impossible += 1;
      continue;
    }
    if (!affordable(next)) continue;
    const base = renderOf(project.answers);
    counts.commands[which] += 1;
    runCommand(project, `step ${step}: ${label}`, state, { version: TEST_VERSION, answers: next }, base);
    project.answers = next;
    return;
  }
}

function sequence(random: Random, bigAllowed: boolean): void {
  const answers = random.pick(STACK_ANSWERS.filter(affordable));
  const project: Project = {
    files: new Map(),
    links: new Map(),
    lines: new Map(),
    big: new Map(),
    bytes: new Map(),
    crlf: new Set(),
    deleted: new Set(),
    answers,
    bigAllowed,
  };
  // init: the planner from nothing to the stack.
  const state: ProjectState = { version: TEST_VERSION, answers };
  runCommand(project, 'init', state, state, new Map());
  expect(project.files.size).toBe(renderOf(answers).size);
  // One sequence in BIG_EVERY starts by growing a shared file past 20k lines.
  if (bigAllowed) edit(project, random, 'big');
  const steps = 3 + random.int(4);
  for (let step = 1; step <= steps; step += 1) {
    if (random.chance(0.5)) {
      for (let edits = 1 + random.int(3); edits > 0; edits -= 1) edit(project, random);
    } else {
      command(project, random, step);
    }
  }
}

describe('lost-line fuzzer, in memory', () => {
  it(`${SEQUENCES} random sequences of edits and commands lose no user line`, () => {
    const started = Date.now();
    const random = seededRandom(seed);
    for (let index = 0; index < SEQUENCES; index += 1) {
      sequence(random, index % BIG_EVERY === 0);
      counts.sequences += 1;
    }
    const commands = counts.commands.add + counts.commands.remove + counts.commands.update;
    process.stdout.write(
      `lost-line fuzzer (seed ${seed}, AEGIS_FUZZ_SEED to repeat): ${counts.sequences} sequences, ${commands} commands ` +
        `(${JSON.stringify(counts.commands)}), edits ${JSON.stringify(counts.edits)}, actions ${JSON.stringify(counts.actions)}, ` +
        `${counts.linesChecked} user lines checked (${counts.linesInConflict} inside conflict blocks), ${counts.resolved} conflicts resolved by the user, ${renders.size} renders, ` +
        `${Date.now() - started} ms\n`,
    );
    expect(counts.sequences).toBeGreaterThanOrEqual(300);
    // The planner's renders go through the cache above: a vi.mock path that no longer names the module it imports
    // would leave every render uncached (and the render budget unenforced) without failing anything else.
    expect(renders.size, 'renders cached through the vi.mock of shared/engine/render.js').toBeGreaterThan(0);
    for (const kind of ['insert-top', 'insert-middle', 'insert-end', 'edit-line', 'delete-line', 'delete-file', 'rename-file', 'crlf', 'no-final-newline', 'non-utf8', 'symlink', 'big']) {
      expect(counts.edits[kind] ?? 0, `edits of kind ${kind}`).toBeGreaterThan(0);
    }
    expect(counts.actions.merge).toBeGreaterThan(0);
    expect(counts.actions.skip).toBeGreaterThan(0);
  }, 60_000);
});

describe('a command over a file that still holds conflict markers', () => {
  /**
   * Found by this fuzzer before it let its user resolve conflicts: `update` leaves markers in docker-compose.yml
   * (and, unlike `update`, `add` sets no pendingUpdate that would stop the next command); the next `add redis`
   * merges cleanly around the markers, reports no conflict — exit 0 — and writes a file with markers. Expected to
   * flip once the engine refuses (or reports) files that still hold markers; then drop `.fails`.
   */
  it('refuses to merge into a file that still holds markers, instead of writing them back with exit 0', () => {
    const answers = stackAnswers(STACKS.find((stack) => stack.name === 'base')!);
    const state: ProjectState = { version: TEST_VERSION, answers };
    const files = new Map(renderOf(answers));
    const compose = files.get('docker-compose.yml') as string;
    // The webserver's `build: .`: `add redis` changes the lines around it, not it.
    const line = '    build: .';
    expect(compose.split('\n')).toContain(line);
    files.set('docker-compose.yml', compose.replace(line, `${line}  # u1 mine`));
    const older = new Map(renderOf(answers));
    older.set('docker-compose.yml', compose.replace(line, `${line}  # older template`));
    const mapDisk: ProjectDisk = { read: (path) => files.get(path), link: () => undefined };
    const update = planProjectChange({ root: '/nowhere', before: state, after: state, beforeTree: older, disk: mapDisk });
    const conflict = update.find((change) => change.path === 'docker-compose.yml')!;
    expect(conflict.action).toBe('conflict');
    files.set('docker-compose.yml', conflict.after!);
    // The user has not resolved it yet and runs `aegis add redis`.
    const next = answersWith(answers, addFeatures(answers, [{ name: 'redis', options: {} }]).selection);
    expect(() => planProjectChange({ root: '/nowhere', before: state, after: { version: TEST_VERSION, answers: next }, disk: mapDisk })).toThrow(
      /still hold conflict markers[\s\S]*docker-compose\.yml[\s\S]*Nothing was changed/,
    );
  });
});
