import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectAnswers, RawAnswers } from './answers.js';
import { AegisError } from './errors.js';

/** The key under which the project state lives in .yo-rc.json (Yeoman's convention: the package name). */
export const STATE_KEY = 'generator-aegis';
export const STATE_FILE = '.yo-rc.json';

export interface ProjectState {
  /** The generator version that last rendered the project. */
  readonly version: string;
  readonly answers: ProjectAnswers;
}

export function serializeState(state: ProjectState): string {
  const { answers } = state;
  const ordered = {
    [STATE_KEY]: {
      version: state.version,
      answers: {
        name: answers.name,
        description: answers.description,
        pythonVersion: answers.pythonVersion,
        components: [...answers.components],
        services: [...answers.services],
      },
    },
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Reads the recorded state of the project in `dir`; answers are returned unchecked. */
export function readState(dir: string): { version: string; answers: RawAnswers } {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AegisError(`${dir} is not an aegis project (no ${STATE_FILE}): run the command in the project folder or pass --project-path.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AegisError(`${path} is not valid JSON: fix or restore it (git checkout -- ${STATE_FILE}).`);
  }
  const entry = (parsed as Record<string, unknown> | null)?.[STATE_KEY] as
    | { version?: unknown; answers?: unknown }
    | undefined;
  if (!entry || typeof entry.version !== 'string' || typeof entry.answers !== 'object' || entry.answers === null) {
    throw new AegisError(`${path} has no "${STATE_KEY}" entry with a version and answers: it was not written by aegis.`);
  }
  return { version: entry.version, answers: entry.answers as RawAnswers };
}
