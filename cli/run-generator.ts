import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import { ALL_FEATURES } from '../shared/model/registry.js';
import { generatorsDir, packageRoot } from '../shared/package-info.js';
import { featureGenerator } from '../shared/yeoman/feature-generator.js';

/** The command generators, imported statically so the bin's bundle carries them (no Yeoman lookup at run time). */
const COMMAND_GENERATORS = {
  app: () => import('../generators/app/index.js'),
  add: () => import('../generators/add/index.js'),
  remove: () => import('../generators/remove/index.js'),
  update: () => import('../generators/update/index.js'),
  deploy: () => import('../generators/deploy/index.js'),
} as const;

type CommandGeneratorName = keyof typeof COMMAND_GENERATORS;
/** A command generator, or a component or service: `yo aegis:worker` is the worker's generator. */
export type GeneratorName = CommandGeneratorName | (string & {});

/** Every `yo aegis:<name>` there is: the commands' generators, then one per optional component and service. */
export const GENERATOR_NAMES: readonly string[] = [
  ...Object.keys(COMMAND_GENERATORS),
  ...ALL_FEATURES.filter((feature) => feature.kind !== 'core').map((feature) => feature.name),
];

async function loadGenerator(name: string): Promise<unknown> {
  if (name in COMMAND_GENERATORS) return (await COMMAND_GENERATORS[name as CommandGeneratorName]()).default;
  return featureGenerator(name);
}

/** Runs one of this package's generators through yeoman-environment, as `yo` would. */
export async function runGenerator(
  name: GeneratorName,
  args: readonly string[],
  options: Record<string, unknown>,
  cwd: string = process.cwd(),
): Promise<void> {
  const env = createEnv({ cwd, skipInstall: options.skipInstall === true });
  quietTaskFailures(env.adapter.log as unknown as { error: (...args: unknown[]) => unknown });
  const namespace = `aegis:${name}`;
  const generator = await loadGenerator(name);
  env.register(generator as never, { namespace, resolved: join(generatorsDir, name, 'index.js'), packagePath: packageRoot });
  await env.run([namespace, ...args], options as never);
}

/**
 * Yeoman logs "An error occured while running aegis:add#writing" before rethrowing a task's error; the bin prints
 * that error itself as the one line, so this second line is dropped.
 */
function quietTaskFailures(log: { error: (...args: unknown[]) => unknown }): void {
  const error = log.error.bind(log);
  log.error = (...args: unknown[]) => (typeof args[0] === 'string' && args[0].startsWith('An error occured while running') ? log : error(...args));
}
