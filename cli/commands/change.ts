import type { Command } from 'commander';
import { CHANGE_OPTIONS, featureOptionDefinitions } from '../../shared/options/change.js';
import { parseFeatureRequests } from '../../shared/model/feature-request.js';
import { OPTIONAL_COMPONENTS, SERVICES } from '../../shared/model/registry.js';
import { addOptions } from '../options.js';
import { loadCommandProject } from '../project.js';

/** Whether `add` may ask a question: on a terminal, without --yes (the options of a feature added first). */
const addMayAsk = (options: Record<string, unknown>): boolean => options.yes !== true && process.stdin.isTTY === true;

async function run(generator: 'add' | 'remove', names: string[], options: Record<string, unknown>): Promise<void> {
  // Read before Yeoman loads (it would otherwise fail on a corrupt .yo-rc.json with its own parse error), and
  // handed to the generator: the command's one read of the project state.
  const project = loadCommandProject(options);
  if (generator === 'remove' || !addMayAsk(options)) {
    const { changeHeadless } = await import('../headless.js');
    await changeHeadless(generator, names, { ...options, project });
    return;
  }
  // Yeoman and the generators sit in a chunk of their own: only commands that may ask a question load it.
  const { runGenerator } = await import('../run-generator.js');
  await runGenerator(generator, names, { ...options, project });
}

export function registerChange(program: Command): void {
  const add = program
    .command('add')
    .argument('<names...>', 'components or services, e.g. scheduler or "scheduler[sqlite]" (several: a comma list)')
    .description('Add components or services to a project (what they require comes along; your code is kept)');
  addOptions(add, [...featureOptionDefinitions([...OPTIONAL_COMPONENTS, ...SERVICES]), ...CHANGE_OPTIONS]).action(
    (names: string[], options: Record<string, unknown>) => run('add', names, options),
  );
  const remove = program
    .command('remove')
    .argument('<names...>', 'components or services to remove, e.g. scheduler')
    .description('Remove components or services; files you changed are kept and listed');
  addOptions(remove, CHANGE_OPTIONS).action((names: string[], options: Record<string, unknown>) => run('remove', names, options));

  // The original's service commands: the same engine, with the names checked to be services first (options are
  // left to the generators, which refuse them on remove).
  const onlyServices = (names: string[]): string[] => {
    parseFeatureRequests('service', names.join(',').replace(/\[[^\]]*\]/g, ''));
    return names;
  };
  const addService = program
    .command('add-service')
    .argument('<names...>', 'services, e.g. auth (several: a comma list)')
    .description('Add services to a project (the components they require come along; your code is kept)');
  addOptions(addService, [...featureOptionDefinitions(SERVICES), ...CHANGE_OPTIONS]).action(
    (names: string[], options: Record<string, unknown>) => run('add', onlyServices(names), options),
  );
  const removeService = program
    .command('remove-service')
    .argument('<names...>', 'services to remove, e.g. auth')
    .description('Remove services; the components they brought stay unless only they needed them');
  addOptions(removeService, CHANGE_OPTIONS).action((names: string[], options: Record<string, unknown>) =>
    run('remove', onlyServices(names), options),
  );
}
