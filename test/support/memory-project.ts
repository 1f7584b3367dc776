/**
 * The engine under init, add and remove with a Map as the disk: render both sides, reconcile every file against the
 * Map, apply the changes, and record the answers in .yo-rc.json as planProjectChange does. Nothing is written.
 */
import { type ProjectAnswers, normalizeAnswers } from '../../shared/model/answers.js';
import type { FeatureRequest } from '../../shared/model/feature-request.js';
import { type Selection, addFeatures, removeFeatures } from '../../shared/model/feature-selection.js';
import { type ProjectState, STATE_FILE, updateStateFile } from '../../shared/model/project-state.js';
import { type FileChange, type FileContents, reconcileTrees } from '../../shared/engine/reconcile.js';
import type { PythonVersion } from '../../shared/model/python-versions.js';
import { type RenderedTree, render } from '../../shared/engine/render.js';

/** The version recorded in .yo-rc.json by every test render: fixed, so renders stay still across releases. */
export const TEST_VERSION = '0.0.0-test';

export interface MemoryProject {
  readonly files: ReadonlyMap<string, FileContents>;
  readonly state: ProjectState;
}

const renders = new Map<string, RenderedTree>();

/** render() is pure: the same answers give the same tree, so the tests render each set of answers once. */
export function renderAnswers(answers: ProjectAnswers): RenderedTree {
  const key = JSON.stringify(answers);
  let tree = renders.get(key);
  if (!tree) {
    tree = render(answers, { generatorVersion: TEST_VERSION });
    renders.set(key, tree);
  }
  return tree;
}

function withoutState(tree: RenderedTree | undefined): Map<string, FileContents> {
  const files = new Map(tree ?? []);
  files.delete(STATE_FILE);
  return files;
}

/** Changes the engine would not apply on its own (a conflict, a kept or skipped file) are a failed property. */
function apply(files: Map<string, FileContents>, changes: readonly FileChange[]): void {
  for (const change of changes) {
    if (change.action === 'delete') files.delete(change.path);
    else if (change.action === 'create' || change.action === 'update' || change.action === 'merge') files.set(change.path, change.after!);
    else throw new Error(`${change.path}: ${change.action}${change.reason ? ` (${change.reason})` : ''}`);
  }
}

/** From `before` (nothing for init) to these answers. */
export function changeProject(before: MemoryProject | undefined, answers: ProjectAnswers): MemoryProject {
  const files = new Map(before?.files ?? []);
  const changes = reconcileTrees(withoutState(before && renderAnswers(before.state.answers)), withoutState(renderAnswers(answers)), (path) => files.get(path));
  apply(files, changes);
  const state: ProjectState = { version: TEST_VERSION, answers };
  const current = files.get(STATE_FILE);
  files.set(STATE_FILE, updateStateFile(typeof current === 'string' ? current : undefined, state));
  return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), state };
}

function answersWith(answers: ProjectAnswers, selection: Selection): ProjectAnswers {
  return { ...answers, components: selection.components, services: selection.services, options: selection.options };
}

const EMPTY: Selection = { components: [], services: [], options: {} };

/** `aegis init demo` with these features. */
export function initProject(requests: readonly FeatureRequest[], pythonVersion: PythonVersion = '3.11'): MemoryProject {
  const bare = normalizeAnswers({ name: 'demo', pythonVersion });
  return changeProject(undefined, answersWith(bare, addFeatures(EMPTY, requests).selection));
}

export function addToProject(project: MemoryProject, requests: readonly FeatureRequest[]): MemoryProject {
  return changeProject(project, answersWith(project.state.answers, addFeatures(project.state.answers, requests).selection));
}

export function removeFromProject(project: MemoryProject, names: readonly string[]): MemoryProject {
  return changeProject(project, answersWith(project.state.answers, removeFeatures(project.state.answers, names).selection));
}

/** The files as text, binary ones as hex: what toEqual compares byte for byte with a readable diff. */
export function snapshot(project: MemoryProject): Map<string, string> {
  return new Map([...project.files].map(([path, contents]) => [path, typeof contents === 'string' ? contents : contents.binary.toString('hex')]));
}

/** The project with some files replaced (or added) by the user. */
export function editProject(project: MemoryProject, edit: (files: Map<string, FileContents>) => void): MemoryProject {
  const files = new Map(project.files);
  edit(files);
  return { files, state: project.state };
}
