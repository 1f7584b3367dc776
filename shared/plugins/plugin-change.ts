import { AegisError } from '../errors.js';
import { refuseOutOfStepProject } from '../commands/change-plan.js';
import type { LoadedProject } from '../commands/project-load.js';
import { resolveSelection } from '../model/feature-selection.js';
import type { ProjectState } from '../model/project-state.js';
import { planProjectChange } from '../engine/project-change.js';
import type { FileChange } from '../engine/reconcile.js';
import { activateRecordedPlugins, recordedPlugin, rememberPlugin } from './activate.js';
import type { LoadedPlugin } from './plugin-package.js';
import { parsePluginRef } from './plugin-ref.js';

/** What a plugins command writes (.yo-rc.json, and on update the plugin's template changes) and records. */
export interface PluginPlan {
  readonly changes: readonly FileChange[];
  readonly nextState: ProjectState;
}

function recorded(state: ProjectState): string[] {
  return [...(state.answers.plugins ?? [])];
}

function withPlugins(state: ProjectState, plugins: readonly string[]): ProjectState {
  const { plugins: _dropped, ...answers } = state.answers;
  const sorted = [...plugins].sort();
  return { ...state, answers: sorted.length ? { ...answers, plugins: sorted } : answers };
}

/** The recorded `name@version` of a plugin, by name. */
export function recordedEntry(state: ProjectState, name: string): string | undefined {
  return recorded(state).find((entry) => parsePluginRef(entry).name === name);
}

function plan(project: LoadedProject, after: ProjectState, labels?: { from: string; to: string }): PluginPlan {
  const changes = planProjectChange({
    root: project.root,
    before: project.state,
    after,
    stateText: project.stateText,
    ...(labels ? { labels: { ours: 'ours (your project)', base: `base (${labels.from})`, theirs: `template (${labels.to})` } } : {}),
  });
  return { changes, nextState: after };
}

/** Features of the project (chosen, or pulled in by another) that come from this plugin. */
export function featuresInUse(state: ProjectState, plugin: LoadedPlugin): string[] {
  activateRecordedPlugins(recorded(state));
  const present = new Set(resolveSelection(state.answers, state.answers.options).features.map((feature) => feature.name));
  return plugin.features.map((feature) => feature.spec.name).filter((name) => present.has(name));
}

/** `aegis plugins add`: the plugin recorded; no project file changes until one of its features is added. */
export function planPluginAdd(project: LoadedProject, plugin: LoadedPlugin): PluginPlan {
  const { root, state } = project;
  refuseOutOfStepProject(root, state);
  const entry = `${plugin.name}@${plugin.version}`;
  const existing = recordedEntry(state, plugin.name);
  if (existing === entry) throw new AegisError(`${root} already uses ${entry}: nothing to add ("aegis add <feature>" adds its features).`);
  if (existing) {
    throw new AegisError(`${root} uses ${existing} already: run "aegis plugins update ${plugin.name}@${plugin.version}" to move it to ${plugin.version}.`);
  }
  const names = new Set(plugin.features.map((feature) => feature.spec.name));
  for (const other of recorded(state)) {
    const clash = recordedPlugin(other).features.find((feature) => names.has(feature.spec.name));
    if (clash) throw new AegisError(`${entry} and ${other} both bring a feature named "${clash.spec.name}": a project can use only one of them.`);
  }
  rememberPlugin(plugin);
  return plan(project, withPlugins(state, [...recorded(state), entry]));
}

/** `aegis plugins remove`: refused while one of its features is in the project. */
export function planPluginRemove(project: LoadedProject, name: string): PluginPlan {
  const { root, state } = project;
  const entry = recordedEntry(state, name);
  if (!entry) {
    const list = recorded(state);
    throw new AegisError(`${root} does not use a plugin named ${name}${list.length ? ` (it uses ${list.join(', ')})` : ' (it uses none)'}.`);
  }
  const inUse = featuresInUse(state, recordedPlugin(entry));
  if (inUse.length) {
    throw new AegisError(
      `${entry} still provides ${inUse.join(', ')} in ${root}: run "aegis remove ${inUse.join(' ')}" first (your changed files are kept), then remove the plugin.`,
    );
  }
  return plan(project, withPlugins(state, recorded(state).filter((other) => other !== entry)));
}

/**
 * `aegis plugins update`: the recorded version moved, and the project reconciled by the 3-way engine: base = the
 * project rendered with the old plugin version, theirs = with the new one, ours = the disk.
 */
export function planPluginUpdate(project: LoadedProject, plugin: LoadedPlugin): PluginPlan {
  const { root, state } = project;
  refuseOutOfStepProject(root, state);
  const entry = `${plugin.name}@${plugin.version}`;
  const existing = recordedEntry(state, plugin.name);
  if (!existing) throw new AegisError(`${root} does not use ${plugin.name}: run "aegis plugins add ${entry}" to add it.`);
  if (existing === entry) return { changes: [], nextState: state };
  rememberPlugin(plugin);
  const after = withPlugins(state, recorded(state).map((other) => (other === existing ? entry : other)));
  // The answers must still hold with the new version (a feature or an option value the new version dropped).
  activateRecordedPlugins(after.answers.plugins ?? []);
  const missing = featuresInUse(state, recordedPlugin(existing)).filter((name) => !plugin.features.some((feature) => feature.spec.name === name));
  if (missing.length) {
    throw new AegisError(`${entry} no longer provides ${missing.join(', ')}, which ${root} uses: remove ${missing.join(', ')} first, or stay on ${existing}.`);
  }
  return plan(project, after, { from: existing, to: entry });
}
