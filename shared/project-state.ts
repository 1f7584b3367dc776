import type { ProjectAnswers } from './answers.js';

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
