import { describe, expect, it } from 'vitest';
import { closestName } from '../../shared/closest-name.js';
import { CORE_COMPONENTS, OPTIONAL_COMPONENTS, SERVICES, parseNameList, selectFeatures } from '../../shared/registry.js';
import { PYTHON_PACKAGES } from '../../shared/versions.js';

describe('parseNameList', () => {
  it('splits commas, trims and drops empties', () => {
    expect(parseNameList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseNameList(['a,b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(parseNameList(undefined)).toEqual([]);
  });
});

describe('selectFeatures', () => {
  it('accepts an empty selection', () => {
    expect(selectFeatures('component', [])).toEqual([]);
    expect(selectFeatures('service', [])).toEqual([]);
  });
});

describe('closestName', () => {
  it('suggests a near name and nothing for a far one', () => {
    expect(closestName('shceduler', ['scheduler', 'worker'])).toBe('scheduler');
    expect(closestName('Worker', ['scheduler', 'worker'])).toBe('worker');
    expect(closestName('kubernetes', ['scheduler', 'worker'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});

describe('registry', () => {
  const all = [...CORE_COMPONENTS, ...OPTIONAL_COMPONENTS, ...SERVICES];

  it('has unique names', () => {
    expect(new Set(all.map((feature) => feature.name)).size).toBe(all.length);
  });

  it('requires only features that exist', () => {
    const names = new Set(all.map((feature) => feature.name));
    for (const feature of all) for (const required of feature.requires) expect(names).toContain(required);
  });

  it('takes every Python dependency from the pinned table', () => {
    for (const feature of all) for (const dependency of feature.pythonDependencies) expect(PYTHON_PACKAGES).toHaveProperty(dependency);
  });

  it('gives every option a default among its values', () => {
    for (const feature of all) for (const option of feature.options) expect(option.values).toContain(option.default);
  });
});
