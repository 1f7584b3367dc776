import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectAnswers } from './answers.js';
import { validateDescription } from './answers.js';
import { AegisError } from '../errors.js';
import { resolveSelection } from './feature-selection.js';
import { STATE_MIGRATIONS, type StateMigration, migrateRecordedAnswers } from './state-migrations.js';
import { isValidOptionValue } from './feature-spec.js';
import { validateProjectName } from './project-name.js';
import { parsePythonVersion } from './python-versions.js';
import { type FeatureKind, type OptionValues, featuresOfKind, findFeature, unknownFeature } from './registry.js';
import { activateRecordedPlugins } from '../plugins/activate.js';
import { parsePluginRef } from '../plugins/plugin-ref.js';

/** The key under which the project state lives in .yo-rc.json (Yeoman's convention: the package name). */
export const STATE_KEY = 'generator-aegis';
export const STATE_FILE = '.yo-rc.json';

/** An update that wrote conflicts: the project is between its recorded version and `version` until finished. */
export interface PendingUpdate {
  readonly version: string;
  /** Every file written with conflicts, project-relative. */
  readonly conflicts: readonly string[];
  /** The git ref holding the project as it was before the update, when there is one. */
  readonly backup?: string;
}

export interface ProjectState {
  /** The generator version that last rendered the project. */
  readonly version: string;
  readonly answers: ProjectAnswers;
  readonly pendingUpdate?: PendingUpdate;
}

function stateEntry(state: ProjectState): unknown {
  const { answers } = state;
  return {
    version: state.version,
    answers: {
      name: answers.name,
      description: answers.description,
      pythonVersion: answers.pythonVersion,
      components: [...answers.components],
      services: [...answers.services],
      options: answers.options,
      ...(answers.plugins?.length ? { plugins: [...answers.plugins] } : {}),
    },
    ...(state.pendingUpdate ? { pendingUpdate: state.pendingUpdate } : {}),
  };
}

export function serializeState(state: ProjectState): string {
  return `${JSON.stringify({ [STATE_KEY]: stateEntry(state) }, null, 2)}\n`;
}

/** The .yo-rc.json text with our entry replaced and every other generator's entry kept in place. */
export function updateStateFile(existing: string | undefined, state: ProjectState): string {
  let document: Record<string, unknown> = {};
  try {
    const parsed: unknown = existing === undefined ? {} : JSON.parse(existing);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) document = parsed as Record<string, unknown>;
  } catch {
    document = {};
  }
  const updated = STATE_KEY in document ? { ...document } : { [STATE_KEY]: undefined, ...document };
  updated[STATE_KEY] = stateEntry(state);
  return `${JSON.stringify(updated, null, 2)}\n`;
}

function fail(file: string, problem: string): AegisError {
  return new AegisError(`${file}: ${problem}`);
}

function stringList(file: string, value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw fail(file, `"${field}" must be a list of names.`);
  }
  return value as string[];
}

function featureNames(file: string, value: unknown, kind: FeatureKind, field: string): string[] {
  const names = stringList(file, value, field);
  for (const name of names) {
    if (!featuresOfKind(kind).some((feature) => feature.name === name)) {
      throw fail(file, `${unknownFeature(kind, name).message} Was it made by a newer generator-aegis?`);
    }
  }
  return names;
}

function optionTable(file: string, value: unknown): Record<string, OptionValues> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail(file, '"options" must be an object.');
  const table: Record<string, OptionValues> = {};
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    const feature = findFeature(name);
    if (!feature || !values || typeof values !== 'object') throw fail(file, `unknown options entry "${name}".`);
    for (const [option, optionValue] of Object.entries(values as Record<string, unknown>)) {
      const spec = feature.options.find((candidate) => candidate.name === option);
      if (!spec || typeof optionValue !== 'string' || !isValidOptionValue(spec, optionValue)) {
        throw fail(file, `invalid option ${name}.${option} = ${JSON.stringify(optionValue)}.`);
      }
    }
    table[name] = values as OptionValues;
  }
  return table;
}

function pendingUpdate(file: string, value: unknown): PendingUpdate | undefined {
  if (value === undefined) return undefined;
  const pending = value as Record<string, unknown> | null;
  if (!pending || typeof pending !== 'object' || typeof pending.version !== 'string') {
    throw fail(file, '"pendingUpdate" needs a "version"; restore the file from version control.');
  }
  const conflicts = stringList(file, pending.conflicts, 'pendingUpdate.conflicts');
  return { version: pending.version, conflicts, ...(typeof pending.backup === 'string' ? { backup: pending.backup } : {}) };
}

/** Reads and checks the project state; anything missing or malformed is an error naming the file and the fix. */
export function readState(projectRoot: string): ProjectState {
  return readStateFile(projectRoot).state;
}

/** The project state and the .yo-rc.json text it was read from. */
export function readStateFile(projectRoot: string): { readonly state: ProjectState; readonly text: string } {
  const file = join(projectRoot, STATE_FILE);
  if (!existsSync(file)) {
    throw new AegisError(
      `${projectRoot} is not a generator-aegis project (no ${STATE_FILE}): run this inside a project made by ` +
        '"aegis init", or point to one with --project-path.',
    );
  }
  if (statSync(file).isDirectory()) {
    throw new AegisError(`${file} is a folder, but it must be the project's state file: move the folder away and restore the file from version control.`);
  }
  const text = readFileSync(file, 'utf8');
  return { state: parseState(text, file), text };
}

/** The project state in a .yo-rc.json text; `file` names it in error messages. */
export function parseState(text: string, file: string = STATE_FILE, migrations: readonly StateMigration[] = STATE_MIGRATIONS): ProjectState {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw fail(file, `not valid JSON (${reason}). Fix it or restore it from version control; nothing was changed.`);
  }
  const entry = (document as Record<string, unknown> | null)?.[STATE_KEY] as Record<string, unknown> | undefined;
  if (!entry || typeof entry !== 'object') {
    throw fail(file, `no "${STATE_KEY}" entry: this folder was not generated by generator-aegis; nothing was changed.`);
  }
  const recorded = entry.answers as Record<string, unknown> | undefined;
  if (typeof entry.version !== 'string' || !recorded || typeof recorded !== 'object') {
    throw fail(file, `the "${STATE_KEY}" entry needs "version" and "answers"; restore it from version control.`);
  }
  const raw = migrateRecordedAnswers(entry.version, recorded, migrations);
  try {
    const plugins = stringList(file, raw.plugins, 'plugins');
    plugins.forEach(parsePluginRef);
    // The project's plugins join the registry before its feature names are checked.
    activateRecordedPlugins(plugins);
    const components = featureNames(file, raw.components, 'component', 'components');
    const services = featureNames(file, raw.services, 'service', 'services');
    const selection = resolveSelection({ components, services }, optionTable(file, raw.options));
    const answers: ProjectAnswers = {
      name: validateProjectName(raw.name as string | undefined),
      description: validateDescription(typeof raw.description === 'string' ? raw.description : ''),
      pythonVersion: parsePythonVersion(String(raw.pythonVersion)),
      components: selection.components,
      services: selection.services,
      options: selection.options,
      ...(plugins.length ? { plugins } : {}),
    };
    const pending = pendingUpdate(file, entry.pendingUpdate);
    return { version: entry.version, answers, ...(pending ? { pendingUpdate: pending } : {}) };
  } catch (error) {
    if (error instanceof AegisError && !error.message.startsWith(file)) throw fail(file, error.message);
    throw error;
  }
}
