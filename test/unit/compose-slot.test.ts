/**
 * The compose slot's declarations are what its fragments render: for every stack of the matrix, the services of
 * `docker-compose.yml` are those the selected features declare (`contributes.compose.services`, with their `when`),
 * its named volumes those they declare, and the production overrides name only services of the base file.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { resolveSelection } from '../../shared/model/feature-selection.js';
import { database } from '../../components/database/spec.js';
import { matches } from '../../shared/model/feature-spec.js';
import { renderedText } from '../../shared/engine/render.js';
import { prepareSlots } from '../../shared/engine/slots.js';
import { renderAnswers } from '../support/memory-project.js';
import { STACKS, stackAnswers } from '../support/stack-matrix.js';

interface Compose {
  readonly services: Record<string, unknown>;
  readonly volumes?: Record<string, unknown>;
}

describe('the compose slot', () => {
  for (const stack of STACKS) {
    it(`${stack.name}: the rendered services are the declared ones`, () => {
      const answers = stackAnswers(stack);
      const resolved = resolveSelection(answers, answers.options);
      const declared = resolved.features.flatMap((feature) =>
        (feature.contributes?.compose?.services ?? [])
          .filter((service) => matches(resolved.options[feature.name] ?? {}, service.when))
          .map((service) => service.name),
      );
      const tree = renderAnswers(answers);
      const compose = yaml.load(renderedText(tree, 'docker-compose.yml')) as Compose;
      expect(Object.keys(compose.services).sort()).toEqual([...declared].sort());
      const volumes = new Set(resolved.features.flatMap((feature) => (feature.contributes?.compose?.volumes ?? []).map((volume) => volume.name)));
      expect(Object.keys(compose.volumes ?? {}).filter((name) => name !== 'app-data' && !volumes.has(name))).toEqual([]);
      if (tree.has('docker-compose.prod.yml')) {
        const production = yaml.load(renderedText(tree, 'docker-compose.prod.yml').replace(/!(reset|override)/g, '')) as Compose;
        expect(Object.keys(production.services).filter((name) => !(name in compose.services))).toEqual([]);
        expect(Object.keys(production.services).sort()).toEqual(Object.keys(compose.services).sort());
      }
    });
  }
});

describe('the compose slot preparation', () => {
  // The database's `{ name: 'postgres-data', if: 'postgres' }`, with these prepared values.
  const volumes = (prepared: Record<string, unknown>): readonly string[] =>
    prepareSlots([database], () => '', { project: { name: 'demo', description: 'Demo' }, options: { database: { engine: 'sqlite' } } }, (template) => template, () => prepared)
      .compose.volumes;

  it('keeps an entry when the prepared boolean it names is true', () => {
    expect(volumes({ postgres: true })).toEqual(['postgres-data']);
    expect(volumes({ postgres: false })).toEqual([]);
  });

  it('refuses an entry naming no prepared value (a typo would drop it silently)', () => {
    expect(() => volumes({ postgress: true })).toThrow(/if: postgres/);
  });
});
