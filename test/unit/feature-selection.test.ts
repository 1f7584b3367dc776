import { describe, expect, it } from 'vitest';
import { addFeatures, removeFeatures, resolveSelection, type Catalog } from '../../shared/model/feature-selection.js';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';

function feature(name: string, kind: FeatureSpec['kind'], extra: Partial<FeatureSpec> = {}): FeatureSpec {
  return {
    name,
    kind,
    description: name,
    requires: [],
    options: [],
    pythonDependencies: [],
    pythonDevDependencies: [],
    ...extra,
  };
}

/** A stand-in registry shaped like the product's plans: worker needs redis, auth needs a database. */
const catalog: Catalog = [
  feature('backend', 'core'),
  feature('redis', 'component'),
  feature('worker', 'component', { requires: [{ name: 'redis' }, { name: 'backend' }] }),
  feature('database', 'component', {
    options: [{ name: 'engine', description: 'engine', values: ['sqlite', 'postgres'], default: 'sqlite' }],
  }),
  feature('scheduler', 'component', {
    options: [{ name: 'persistence', description: 'store', values: ['memory', 'sqlite', 'postgres'], default: 'memory' }],
    requires: [
      { name: 'database', options: { engine: 'sqlite' }, when: { persistence: 'sqlite' } },
      { name: 'database', options: { engine: 'postgres' }, when: { persistence: 'postgres' } },
    ],
  }),
  feature('auth', 'service', { requires: [{ name: 'database' }] }),
];
const empty = { components: [], services: [], options: {} };

describe('resolveSelection', () => {
  it('adds what is required, transitively, and fills option defaults', () => {
    const resolved = resolveSelection({ components: ['worker'], services: ['auth'] }, {}, catalog);
    expect(resolved.features.map((f) => f.name)).toEqual(['backend', 'redis', 'worker', 'database', 'auth']);
    expect(resolved.implied).toEqual(['redis', 'database']);
    expect(resolved.options).toEqual({ database: { engine: 'sqlite' } });
  });

  it('passes required options along only when the condition holds', () => {
    expect(resolveSelection({ components: ['scheduler'], services: [] }, {}, catalog).implied).toEqual([]);
    const sqlite = resolveSelection({ components: ['scheduler'], services: [] }, { scheduler: { persistence: 'postgres' } }, catalog);
    expect(sqlite.options.database).toEqual({ engine: 'postgres' });
  });

  it('refuses two demands on one option, naming both', () => {
    expect(() =>
      resolveSelection(
        { components: ['database', 'scheduler'], services: [] },
        { database: { engine: 'sqlite' }, scheduler: { persistence: 'postgres' } },
        catalog,
      ),
    ).toThrow('scheduler needs database[engine=postgres], but it is set to engine=sqlite');
  });

  it('names the fix when a requirement conflicts with the project\'s own choice', () => {
    expect(() =>
      addFeatures({ components: ['database'], services: [], options: { database: { engine: 'sqlite' } } }, [
        { name: 'scheduler', options: { persistence: 'postgres' } },
      ], catalog),
    ).toThrow('To change it, name it in the same command: "database[engine=postgres]".');
    const both = addFeatures({ components: ['database'], services: [], options: { database: { engine: 'sqlite' } } }, [
      { name: 'database', options: { engine: 'postgres' } },
      { name: 'scheduler', options: { persistence: 'postgres' } },
    ], catalog);
    expect(both.selection.options).toEqual({ database: { engine: 'postgres' }, scheduler: { persistence: 'postgres' } });
  });
});

describe('addFeatures', () => {
  it('says what came along', () => {
    const { selection, notes } = addFeatures(empty, [{ name: 'worker', options: {} }], catalog);
    expect(selection.components).toEqual(['worker']);
    expect(notes).toEqual(['Also adding redis: worker requires it.']);
  });

  it('gives the same answers whether features come together or one by one (convergence)', () => {
    const together = addFeatures(empty, [{ name: 'worker', options: {} }, { name: 'auth', options: {} }], catalog);
    const first = addFeatures(empty, [{ name: 'auth', options: {} }], catalog).selection;
    const stepwise = addFeatures(first, [{ name: 'worker', options: {} }], catalog);
    expect(stepwise.selection.components).toEqual(together.selection.components);
    expect(stepwise.selection.services).toEqual(together.selection.services);
    expect(stepwise.selection.options).toEqual(together.selection.options);
  });

  it('changes the options of a feature already present, and notes it', () => {
    const current = addFeatures(empty, [{ name: 'scheduler', options: {} }], catalog).selection;
    const changed = addFeatures(current, [{ name: 'scheduler', options: { persistence: 'sqlite' } }], catalog);
    expect(changed.selection.options.scheduler).toEqual({ persistence: 'sqlite' });
    expect(changed.notes).toContain('scheduler: persistence memory → sqlite');
    expect(addFeatures(current, [{ name: 'scheduler', options: {} }], catalog).notes).toEqual(['scheduler is already in this project.']);
  });

  it('makes an implied feature explicit when it is added by name', () => {
    const current = addFeatures(empty, [{ name: 'worker', options: {} }], catalog).selection;
    const { selection, notes } = addFeatures(current, [{ name: 'redis', options: {} }], catalog);
    expect(selection.components).toEqual(['redis', 'worker']);
    expect(notes[0]).toContain('was already here for worker');
  });
});

describe('removeFeatures', () => {
  it('refuses to remove what another feature requires, naming it', () => {
    const current = addFeatures(empty, [{ name: 'worker', options: {} }], catalog).selection;
    expect(() => removeFeatures(current, ['redis'], catalog)).toThrow('Cannot remove redis: worker requires it');
  });

  it('takes implied features along, unless they were added by name', () => {
    const withWorker = addFeatures(empty, [{ name: 'worker', options: {} }], catalog).selection;
    const removed = removeFeatures(withWorker, ['worker'], catalog);
    expect(removed.selection.components).toEqual([]);
    expect(removed.notes).toEqual(['Also removing redis: nothing else requires it now.']);
    const explicitRedis = addFeatures(withWorker, [{ name: 'redis', options: {} }], catalog).selection;
    expect(removeFeatures(explicitRedis, ['worker'], catalog).selection.components).toEqual(['redis']);
  });

  it('round-trips: add then remove gives the answers back', () => {
    const added = addFeatures(empty, [{ name: 'scheduler', options: { persistence: 'sqlite' } }], catalog).selection;
    const removed = removeFeatures(added, ['scheduler'], catalog).selection;
    expect({ components: removed.components, services: removed.services, options: removed.options }).toEqual(empty);
  });

  it('refuses core components and says when there is nothing to remove', () => {
    expect(() => removeFeatures(empty, ['backend'], catalog)).toThrow('core component');
    expect(removeFeatures(empty, ['redis'], catalog).notes).toEqual(['redis is not in this project; nothing to remove.']);
  });
});
