import { AegisError } from './errors.js';
import { validateProjectName } from './project-name.js';
import { DEFAULT_PYTHON_VERSION, parsePythonVersion, type PythonVersion } from './python-versions.js';
import { parseNameList, selectFeatures } from './registry.js';

/** Everything a project is rendered from; recorded in .yo-rc.json so later commands can render it again. */
export interface ProjectAnswers {
  readonly name: string;
  readonly description: string;
  readonly pythonVersion: PythonVersion;
  /** Optional components the user chose, in registry order (what they require is resolved at render). */
  readonly components: readonly string[];
  readonly services: readonly string[];
}

/** Answers as they come from flags, prompts or a .yo-rc.json: unchecked. */
export interface RawAnswers {
  name?: string | undefined;
  description?: string | undefined;
  pythonVersion?: string | undefined;
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

/** Checks every answer and fills defaults; throws an AegisError naming the first problem. */
export function normalizeAnswers(raw: RawAnswers): ProjectAnswers {
  const name = validateProjectName(raw.name);
  const description = validateDescription(raw.description?.trim() ? raw.description : defaultDescription(name));
  return {
    name,
    description,
    pythonVersion: parsePythonVersion(raw.pythonVersion ?? DEFAULT_PYTHON_VERSION),
    components: selectFeatures('component', parseNameList(raw.components)),
    services: selectFeatures('service', parseNameList(raw.services)),
  };
}
