import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import { generatorsDir, packageRoot } from '../shared/package-info.js';

/** This package's generators, imported statically so the bin's bundle carries them (no Yeoman lookup at run time). */
const GENERATORS = {
  app: () => import('../generators/app/index.js'),
  add: () => import('../generators/add/index.js'),
  remove: () => import('../generators/remove/index.js'),
  scheduler: () => import('../generators/scheduler/index.js'),
  worker: () => import('../generators/worker/index.js'),
  redis: () => import('../generators/redis/index.js'),
  database: () => import('../generators/database/index.js'),
  auth: () => import('../generators/auth/index.js'),
  ingress: () => import('../generators/ingress/index.js'),
  ai: () => import('../generators/ai/index.js'),
  update: () => import('../generators/update/index.js'),
  deploy: () => import('../generators/deploy/index.js'),
} as const;

export type GeneratorName = keyof typeof GENERATORS;
export const GENERATOR_NAMES = Object.keys(GENERATORS) as GeneratorName[];

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
  const { default: generator } = await GENERATORS[name]();
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
