import type { Command } from 'commander';
import { UPDATE_COMMAND_OPTIONS } from '../../shared/options/update.js';
import { addOptions } from '../options.js';
import { loadCommandProject } from '../project.js';

export function registerUpdate(program: Command): void {
  const command = program
    .command('update')
    .description(
      'Bring template changes since the version that last rendered the project into it, by 3-way merge: untouched ' +
        'files follow the template, your edits are kept, and where both changed the same lines the file gets conflict ' +
        'markers (and, in git, unmerged index entries). The target is always the running version: install the ' +
        'generator-aegis you want and run its "aegis update" (there is no --to-version).',
    );
  addOptions(command, UPDATE_COMMAND_OPTIONS).action(async (options: Record<string, unknown>) => {
    // Read first (see change.ts) and handed on: the command's one read of the project state.
    const project = loadCommandProject(options);
    const { updateHeadless } = await import('../headless.js');
    await updateHeadless({ ...options, project });
  });
}
