import { AegisError } from '../errors.js';
import { validateProjectName } from './project-name.js';
import { DEFAULT_PYTHON_VERSION, parsePythonVersion, type PythonVersion } from './python-versions.js';
import { parseFeatureRequests } from './feature-request.js';
import { addFeatures } from './feature-selection.js';
import type { OptionValues } from './registry.js';

/** Everything a project is rendered from; recorded in .yo-rc.json so later commands can render it again. */
export interface ProjectAnswers {
  readonly name: string;
  readonly description: string;
  readonly pythonVersion: PythonVersion;
  /** Optional components the user chose, in registry order (what they require is resolved at render). */
  readonly components: readonly string[];
  readonly services: readonly string[];
  /** Option values of every optional feature in the project that has options (chosen or implied). */
  readonly options: Readonly<Record<string, OptionValues>>;
  /** Plugin packages the project's features may come from, as `name@exact-version` (see docs/plugins.md). */
  readonly plugins?: readonly string[];
}

/** Answers as they come from flags, prompts or a .yo-rc.json: unchecked. */
export interface RawAnswers {
  name?: string | undefined;
  description?: string | undefined;
  pythonVersion?: string | undefined;
  /** `scheduler[sqlite],worker`: names, with options in brackets. */
  components?: string | readonly string[] | undefined;
  services?: string | readonly string[] | undefined;
}

const MAX_DESCRIPTION = 200;

export function defaultDescription(name: string): string {
  return `${name}: a FastAPI service with a Flet dashboard`;
}

export function validateDescription(description: string): string {
  const trimmed = description.trim();
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new AegisError('The description must be a single line of text: remove line breaks and control characters.');
  }
  if (trimmed.length > MAX_DESCRIPTION) {
    throw new AegisError(`The description is ${trimmed.length} characters long: keep it under ${MAX_DESCRIPTION}.`);
  }
  return trimmed;
}

export interface NormalizedAnswers {
  readonly answers: ProjectAnswers;
  /** What came along with the chosen features, to tell the user. */
  readonly notes: readonly string[];
}

/** Checks every answer, fills defaults and resolves requirements; throws an AegisError naming the first problem. */
export function resolveAnswers(raw: RawAnswers): NormalizedAnswers {
  const name = validateProjectName(raw.name);
  const description = validateDescription(raw.description?.trim() ? raw.description : defaultDescription(name));
  const requests = [
    ...parseFeatureRequests('component', raw.components),
    ...parseFeatureRequests('service', raw.services),
  ];
  const { selection, notes } = addFeatures({ components: [], services: [], options: {} }, requests);
  const answers: ProjectAnswers = {
    name,
    description,
    pythonVersion: parsePythonVersion(raw.pythonVersion ?? DEFAULT_PYTHON_VERSION),
    components: selection.components,
    services: selection.services,
    options: selection.options,
  };
  return { answers, notes };
}

export function normalizeAnswers(raw: RawAnswers): ProjectAnswers {
  return resolveAnswers(raw).answers;
}
