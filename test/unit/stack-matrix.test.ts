import { describe, expect, it } from 'vitest';
import { validateProjectName } from '../../shared/model/project-name.js';
import { OPTIONAL_FEATURES, PAIR_STACKS, STACKS, dependentPairs, stackAnswers, variants } from '../support/stack-matrix.js';

const pairKeys = new Set(dependentPairs().map((pair) => [pair.feature, pair.other].sort().join('×')));

describe('the stack matrix', () => {
  it('names every stack once, in a form the e2e can make a project of', () => {
    const names = STACKS.map((stack) => stack.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9-]+$/);
      expect(validateProjectName(`stack_${name.replace(/-/g, '_')}`)).toBeTruthy();
    }
  });

  it('has every feature with every option value alone, and its answers resolve', () => {
    for (const feature of OPTIONAL_FEATURES) {
      for (const variant of variants(feature)) {
        const found = STACKS.some((stack) => {
          const answers = stackAnswers(stack);
          const chosen = [...answers.components, ...answers.services];
          return chosen.length === 1 && chosen[0] === feature.name && JSON.stringify(answers.options[feature.name] ?? {}) === JSON.stringify(variant.options);
        });
        expect(found, `${feature.name} ${JSON.stringify(variant.options)}`).toBe(true);
      }
    }
  });

  it('finds the cross-feature dependencies in the templates and specs', () => {
    const expected = ['ai×database', 'ai×auth', 'auth×database', 'ingress×scheduler', 'ingress×redis', 'ingress×worker', 'database×ingress', 'redis×worker'];
    for (const key of expected) expect(pairKeys, key).toContain(key.split('×').sort().join('×'));
    expect(PAIR_STACKS.filter((entry) => entry.pair.feature === 'ingress' && entry.pair.other === 'database')).toHaveLength(2);
  });

  it('renders ai with the database but without auth, and everything on per database engine', () => {
    const aiWithDatabase = STACKS.find((stack) => stack.services === 'ai' && stack.components === 'database');
    expect(aiWithDatabase?.kind).toBe('pair');
    const engines = STACKS.filter((stack) => stack.kind === 'everything').map((stack) => stackAnswers(stack).options.database?.engine);
    expect(engines).toEqual(['sqlite', 'postgres']);
  });

  it('runs scheduler-postgres alone, on the PostgreSQL database it brings', () => {
    const stack = STACKS.find((candidate) => candidate.name === 'scheduler-postgres');
    expect(stack?.kind).toBe('alone');
    expect(stack?.components).toBe('scheduler[persistence=postgres]');
    const answers = stackAnswers(stack!);
    expect(answers.components).toEqual(['scheduler']);
    expect(answers.options).toEqual({ scheduler: { persistence: 'postgres' }, database: { engine: 'postgres' } });
    expect(pairKeys).toContain('database×scheduler');
  });
});
