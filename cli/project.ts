import { resolve } from 'node:path';
import { type LoadedProject, loadProject } from '../shared/commands/project-load.js';

/** The project a change command names (--project-path, else the current folder), read once for the whole command. */
export function loadCommandProject(options: Record<string, unknown>): LoadedProject {
  const root = resolve(typeof options.projectPath === 'string' ? options.projectPath : '.');
  return loadProject(root, (line) => process.stderr.write(`${line}\n`));
}
