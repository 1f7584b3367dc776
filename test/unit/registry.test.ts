import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestName } from '../../shared/model/closest-name.js';
import { CORE_COMPONENTS, OPTIONAL_COMPONENTS, SERVICES, featureFolder } from '../../shared/model/registry.js';
import { PYTHON_PACKAGES } from '../../shared/model/versions.js';

describe('closestName', () => {
  it('suggests a near name and nothing for a far one', () => {
    expect(closestName('shceduler', ['scheduler', 'worker'])).toBe('scheduler');
    expect(closestName('Worker', ['scheduler', 'worker'])).toBe('worker');
    expect(closestName('kubernetes', ['scheduler', 'worker'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});

const componentsSourceDir = join(import.meta.dirname, '..', '..', 'components');

describe('registry', () => {
  const all = [...CORE_COMPONENTS, ...OPTIONAL_COMPONENTS, ...SERVICES];

  it('has unique names', () => {
    expect(new Set(all.map((feature) => feature.name)).size).toBe(all.length);
  });

  it('requires only features that exist', () => {
    const names = new Set(all.map((feature) => feature.name));
    for (const feature of all) for (const required of feature.requires) expect(names).toContain(required.name);
  });

  it('takes every Python dependency from the pinned table', () => {
    for (const feature of all) {
      for (const dependency of [...feature.pythonDependencies, ...feature.pythonDevDependencies]) {
        expect(Object.keys(PYTHON_PACKAGES)).toContain(typeof dependency === 'string' ? dependency : dependency.name);
      }
    }
  });

  it('gives every option a valid default, and values unique within a feature', () => {
    for (const feature of all) {
      for (const option of feature.options) {
        if (option.text) expect(option.default).toBe('');
        else for (const part of option.default.split(option.multiple ? ',' : /$^/)) expect(option.values).toContain(part);
      }
      const values = feature.options.flatMap((option) => option.values);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('docs/components.md links every component’s and service’s page, in registry order', () => {
    const page = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'components.md'), 'utf8');
    const rows = [...page.matchAll(/^\| (\w+) \| (component|service) \| \[components\/(\w+)\/README\.md\]\(\.\.\/components\/(\w+)\/README\.md\) \|$/gm)];
    expect(rows.map((row) => [row[1], row[2], row[3], row[4]])).toEqual(
      [...OPTIONAL_COMPONENTS, ...SERVICES].map((feature) => [feature.name, feature.kind, feature.name, feature.name]),
    );
  });

  it('finds every optional feature’s folder by its name: its spec, templates and docs page', () => {
    for (const feature of [...OPTIONAL_COMPONENTS, ...SERVICES]) {
      const folder = featureFolder(feature)!;
      expect(folder, feature.name).toBe(join(componentsSourceDir, feature.name));
      for (const part of ['spec.ts', 'templates', 'README.md']) expect(existsSync(join(folder, part)), `${feature.name}: ${part}`).toBe(true);
    }
    const folders = readdirSync(componentsSourceDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).sort()).toEqual([...OPTIONAL_COMPONENTS, ...SERVICES].map((feature) => feature.name).sort());
  });
});
