import { recoverInterruptedChange } from '../engine/apply-transaction.js';
import { type ProjectState, readStateFile } from '../model/project-state.js';

/** A project as a command finds it: its folder and its state, read from .yo-rc.json once. */
export interface LoadedProject {
  readonly root: string;
  readonly state: ProjectState;
  /** The .yo-rc.json text the state was read from (update hands it to the old version's renderer as it is). */
  readonly stateText: string;
}

/**
 * Finishes an interrupted change first (`log` says which way), then reads and checks the project state: the one
 * read of .yo-rc.json a command makes before planning.
 */
export function loadProject(root: string, log: (line: string) => void): LoadedProject {
  const recovered = recoverInterruptedChange(root);
  if (recovered) log(recovered);
  const { state, text } = readStateFile(root);
  return { root, state, stateText: text };
}

/** The project the bin loaded before Yeoman, handed on as the generator option `project`, when it is this folder. */
export function givenProject(options: Record<string, unknown>, root: string): LoadedProject | undefined {
  const project = options.project as LoadedProject | undefined;
  return project && typeof project === 'object' && project.root === root ? project : undefined;
}
