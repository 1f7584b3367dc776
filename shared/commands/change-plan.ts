import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectAnswers } from '../model/answers.js';
import { compareVersions } from '../model/version-order.js';
import { AegisError } from '../errors.js';
import type { FeatureRequest } from '../model/feature-request.js';
import { addFeatures, removeFeatures } from '../model/feature-selection.js';
import { packageVersion } from '../package-info.js';
import { type ProjectDisk, planProjectChange } from '../engine/project-change.js';
import type { ProjectState } from '../model/project-state.js';
import type { FileChange } from '../engine/reconcile.js';
import { render } from '../engine/render.js';

/** A change to the project's answers: features to add (with options) or to remove. */
export interface AnswersChange {
  readonly add: readonly FeatureRequest[];
  readonly remove: readonly string[];
}

/** What a command would do: every file it changes (.yo-rc.json included), the state it records, and what to tell. */
export interface ChangePlan {
  readonly changes: readonly FileChange[];
  readonly nextState: ProjectState;
  readonly notes: readonly string[];
}

/**
 * add and remove render both sides with this version's templates, so the project must be at this version: else the
 * template changes in between would count as the user's edits. `aegis update` brings it there first.
 */
export function refuseOutOfStepProject(root: string, state: ProjectState): void {
  if (state.pendingUpdate) {
    throw new AegisError(
      `${root} is in the middle of an update to generator-aegis ${state.pendingUpdate.version} with conflicts: resolve them ` +
        'and run "aegis update --finish" first.',
    );
  }
  const order = compareVersions(state.version, packageVersion);
  // Versions that differ only in build metadata (`1.0.0+a`, `1.0.0+b`) are the same release.
  if (order === 0) return;
  const fix =
    order < 0
      ? `run "aegis update" first to bring in the template changes since ${state.version}, then run this again`
      : `install that version (npm install -g generator-aegis@${state.version}) or newer and run it`;
  throw new AegisError(`${root} was last rendered by generator-aegis ${state.version}, and this is ${packageVersion}: ${fix}.`);
}

/** The answers after `change`, recorded at the same version, and the notes on what came along or stayed. */
export function nextAnswers(state: ProjectState, change: AnswersChange): { readonly nextState: ProjectState; readonly notes: readonly string[] } {
  const { selection, notes } = change.remove.length ? removeFeatures(state.answers, change.remove) : addFeatures(state.answers, change.add);
  const answers = { ...state.answers, components: selection.components, services: selection.services, options: selection.options };
  return { nextState: { version: state.version, answers }, notes };
}

/** add and remove: the same templates at changed answers. Reads the disk, writes nothing. */
export function planAnswersChange(request: {
  readonly root: string;
  readonly state: ProjectState;
  /** The .yo-rc.json text `state` was read from. */
  readonly stateText?: string;
  readonly change: AnswersChange;
  readonly disk?: ProjectDisk;
}): ChangePlan {
  const { nextState, notes } = nextAnswers(request.state, request.change);
  const changes = planProjectChange({
    root: request.root,
    before: request.state,
    after: nextState,
    ...(request.disk ? { disk: request.disk } : {}),
    ...(request.stateText !== undefined ? { stateText: request.stateText } : {}),
  });
  return { changes, nextState, notes };
}

/**
 * init: base = nothing. Every rendered file is written (`update` where --force lets it replace one), the state file
 * as the template renders it. Looks at the disk, writes nothing.
 */
export function planInit(target: string, answers: ProjectAnswers, notes: readonly string[]): ChangePlan {
  const changes: FileChange[] = [...render(answers, { generatorVersion: packageVersion })].map(([path, after]) => ({
    path,
    action: existsSync(join(target, path)) ? 'update' : 'create',
    after,
  }));
  return { changes, nextState: { version: packageVersion, answers }, notes };
}
