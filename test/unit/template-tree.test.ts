import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTemplateFiles } from '../../shared/engine/template-tree.js';

describe('listTemplateFiles', () => {
  it('maps dot- names to dotfiles, strips .ejs and sorts by target', () => {
    const root = mkdtempSync(join(tmpdir(), 'aegis-tree-'));
    mkdirSync(join(root, 'dot-github', 'workflows'), { recursive: true });
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'dot-github', 'workflows', 'ci.yml'), '');
    writeFileSync(join(root, 'dot-gitignore'), '');
    writeFileSync(join(root, 'pyproject.toml.ejs'), '');
    writeFileSync(join(root, 'app', 'main.py'), '');
    expect(listTemplateFiles(root).map(({ target, isTemplate }) => [target, isTemplate])).toEqual([
      ['.github/workflows/ci.yml', false],
      ['.gitignore', false],
      ['app/main.py', false],
      ['pyproject.toml', true],
    ]);
  });
});
