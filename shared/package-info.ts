import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';


function findPackageJson(): { path: string; version: string } {
  let dir = new URL('../', import.meta.url);
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = new URL('package.json', dir);
    try {
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'generator-aegis' && json.version) return { path: fileURLToPath(candidate), version: json.version };
    } catch {
      // not here: look one folder up
    }
    dir = new URL('../', dir);
  }
  throw new Error('generator-aegis: cannot find its own package.json');
}

const packageJson = findPackageJson();

export const packageVersion: string = packageJson.version;
export const packageRoot: string = fileURLToPath(new URL('.', `file://${packageJson.path}`));

/**
 * Where the compiled code and the template folders are: dist/ when running compiled (also from the bin's bundle,
 * whose chunks live elsewhere in dist/), the repository root when running from the TypeScript sources.
 */
const compiled = fileURLToPath(import.meta.url).startsWith(join(packageRoot, 'dist'));
export const codeRoot: string = join(packageRoot, compiled ? 'dist' : '');
/** The Yeoman entry points (`yo aegis:<name>`); in dist/ the components' ones are written by the build. */
export const generatorsDir: string = join(codeRoot, 'generators');
/** The base stack's templates: what every project has. */
export const baseTemplatesDir: string = join(codeRoot, 'base', 'templates');
/** One folder per component and service: its spec, templates, contributions' fragments, docs page and tests. */
export const componentsDir: string = join(codeRoot, 'components');
