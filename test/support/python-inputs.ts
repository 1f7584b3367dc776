/**
 * What a generated project's own checks can read: ruff, mypy and pytest read the Python files and pyproject.toml, the
 * tests read some other files too (docker-compose.yml, migrations), and the booted server its assets. Two renders with
 * the same inputs give the same results in all of those, so checking the second would run the same thing twice.
 *
 * Left out: the files written for people and for deployment tools (documentation, the generator's state, Make,
 * Docker's build files, git's ignore list, CI, the Kubernetes manifests), unless a Python file names one, in which
 * case it may read it and it counts.
 */
import { createHash } from 'node:crypto';
import { contentBytes } from '../../shared/engine/reconcile.js';
import type { RenderedTree } from '../../shared/engine/render.js';

const FOR_PEOPLE_AND_DEPLOY_TOOLS =
  /(^|\/)[^/]*\.md$|^\.yo-rc\.json$|^Makefile$|^Dockerfile$|^\.dockerignore$|^\.gitignore$|^\.pre-commit-config\.yaml$|^\.github\/|^deploy\//;

/** The paths of `tree` its Python checks can read. */
export function pythonInputPaths(tree: RenderedTree): string[] {
  const python = [...tree].filter(([path]) => path.endsWith('.py')).map(([, contents]) => (typeof contents === 'string' ? contents : ''));
  const named = (path: string): boolean => {
    const name = path.split('/').pop()!;
    return python.some((source) => source.includes(name));
  };
  return [...tree.keys()].filter((path) => !FOR_PEOPLE_AND_DEPLOY_TOOLS.test(path) || named(path));
}

/** A digest of those paths and their contents. */
export function pythonInputsDigest(tree: RenderedTree): string {
  const hash = createHash('sha256');
  for (const path of pythonInputPaths(tree)) {
    hash.update(`${path}\0`);
    hash.update(contentBytes(tree.get(path)!));
    hash.update('\0');
  }
  return hash.digest('hex');
}
