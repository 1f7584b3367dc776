import { describe, expect, it } from 'vitest';
import type { RenderedTree } from '../../shared/engine/render.js';
import { pythonInputPaths, pythonInputsDigest } from '../support/python-inputs.js';
import { CHECKED_AS, E2E_STACKS } from '../support/stack-matrix-case.js';

const tree = (files: Record<string, string>): RenderedTree => new Map(Object.entries(files));
const project = {
  'app/main.py': 'print("hello")\n',
  'tests/test_compose.py': 'COMPOSE = "docker-compose.yml"\n',
  'pyproject.toml': '[project]\nname = "demo"\n',
  'docker-compose.yml': 'services: {}\n',
  'README.md': '# demo\n',
  Makefile: 'test:\n\tuv run pytest\n',
  'deploy/kubernetes/base/webserver.yaml': 'kind: Deployment\n',
};

describe('the Python inputs of a render', () => {
  it('are its Python files and every other file, less those for people and deployment tools', () => {
    expect(pythonInputPaths(tree(project)).sort()).toEqual(['app/main.py', 'docker-compose.yml', 'pyproject.toml', 'tests/test_compose.py']);
  });

  it('count a file for people once a Python file names it', () => {
    const named = { ...project, 'app/main.py': 'README = "README.md"\n' };
    expect(pythonInputPaths(tree(named))).toContain('README.md');
  });

  it('change with a Python file, the configuration or a file a test reads, not with the documentation', () => {
    const digest = pythonInputsDigest(tree(project));
    expect(pythonInputsDigest(tree({ ...project, 'README.md': '# other\n', Makefile: 'lint:\n' }))).toBe(digest);
    expect(pythonInputsDigest(tree({ ...project, 'app/main.py': 'print("bye")\n' }))).not.toBe(digest);
    expect(pythonInputsDigest(tree({ ...project, 'docker-compose.yml': 'services: {web: {}}\n' }))).not.toBe(digest);
    expect(pythonInputsDigest(tree({ ...project, 'app/extra.py': '' }))).not.toBe(digest);
  });
});

describe('the stacks the e2e matrix checks as others', () => {
  it('each have a twin the matrix checks', () => {
    for (const [name, twin] of CHECKED_AS) {
      expect(E2E_STACKS.some((stack) => stack.name === twin), `${name} as ${twin}`).toBe(true);
      expect(E2E_STACKS.some((stack) => stack.name === name)).toBe(false);
    }
  });
});
