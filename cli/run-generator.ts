import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import { generatorsDir, packageRoot } from '../shared/package-info.js';

/** Runs one of this package's generators through yeoman-environment, as `yo` would. */
export async function runGenerator(
  name: string,
  args: readonly string[],
  options: Record<string, unknown>,
  cwd: string = process.cwd(),
): Promise<void> {
  const env = createEnv({ cwd, skipInstall: options.skipInstall === true });
  const namespace = `aegis:${name}`;
  env.register(join(generatorsDir, name, 'index.js'), { namespace, packagePath: packageRoot });
  await env.run([namespace, ...args], options as never);
}
