import type { Command } from 'commander';
import { INIT_OPTIONS } from '../../shared/options/init.js';
import { AegisError } from '../../shared/errors.js';
import { addOptions } from '../options.js';

export function registerInit(program: Command): void {
  const command = program
    .command('init')
    .argument('[name]', 'project name: lowercase letters, digits, "-" and "_", starting with a letter')
    .description('Create a new project: the base stack plus any --components and --services');
  addOptions(command, INIT_OPTIONS).action(async (name: string | undefined, options: Record<string, unknown>) => {
    if (options.yes !== true && !process.stdin.isTTY) {
      throw new AegisError('No terminal to ask questions on: pass --yes to take the flags and defaults as answers.');
    }
    if (options.yes === true) {
      const { initHeadless } = await import('../headless.js');
      await initHeadless(name, options);
      return;
    }
    // Yeoman and the generators sit in a chunk of their own: only commands that may ask a question load it.
    const { runGenerator } = await import('../run-generator.js');
    await runGenerator('app', name === undefined ? [] : [name], options);
  });
}
