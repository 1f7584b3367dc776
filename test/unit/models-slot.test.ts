/**
 * The models slot (shared/model/slots/models.ts): the database's `app/models/__init__.py` imports every model
 * module the selected features declare, and a feature cannot bring a model module without declaring it (Alembic's
 * autogenerate would not see its tables).
 */
import { describe, expect, it } from 'vitest';
import { resolveSelection } from '../../shared/model/feature-selection.js';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import { findFeature } from '../../shared/model/registry.js';
import { prepareSlots } from '../../shared/engine/slots.js';
import { renderStack } from '../support/golden.js';
import { STACKS, stackAnswers } from '../support/stack-matrix.js';

const MODELS = 'app/models/__init__.py';

const imports = (features: readonly FeatureSpec[]): string =>
  prepareSlots(features, () => '', { project: { name: 'demo', description: 'Demo' }, options: {} }).models.imports;

describe('the models slot', () => {
  for (const stack of STACKS) {
    it(`${stack.name}: app/models/__init__.py imports exactly the model modules rendered`, () => {
      const tree = renderStack(stack);
      if (!tree.has(MODELS)) return;
      const answers = stackAnswers(stack);
      const features = resolveSelection(answers, answers.options).features;
      const has = Object.fromEntries(features.map((feature) => [feature.name, true]));
      const input = { project: { name: 'demo', description: 'Demo' }, options: {}, has, defaultAdminGuard: false };
      const declared = features.flatMap((feature) => {
        const models = feature.contributes?.models;
        return models && (models.when?.(input) ?? true) ? models.modules : [];
      });
      const rendered = [...tree.keys()]
        .filter((path) => /^app\/models\/\w+\.py$/.test(path) && path !== MODELS && path !== 'app/models/base.py')
        .map((path) => path.slice(0, -'.py'.length).replace(/\//g, '.'));
      expect([...declared].sort()).toEqual(rendered.sort());
      const text = tree.get(MODELS) as string;
      const imported = [...text.matchAll(/^from app\.models import (\w+) as \1$/gm)].map((match) => `app.models.${match[1]}`);
      expect(imported.sort()).toEqual(rendered.sort());
    });
  }
});

describe('the models slot preparation', () => {
  it('sorts the imports as ruff does, the file\'s own metadata import last', () => {
    expect(imports([])).toBe('from app.models.base import metadata');
    expect(imports([findFeature('auth')!, findFeature('ai')!])).toBe(
      'from app.models import ai as ai\nfrom app.models import user as user\nfrom app.models.base import metadata',
    );
  });
});
