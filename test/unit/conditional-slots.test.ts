/**
 * Conditional slot entries (shared/model/slots/condition.ts): a router, a CLI group or a model module that a feature
 * renders only with another feature is in the shared files only when its `when` holds.
 */
import { describe, expect, it, vi } from 'vitest';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import { findFeature } from '../../shared/model/registry.js';
import { prepareSlots } from '../../shared/engine/slots.js';

// The test feature joins the registry, after the built-in ones.
vi.mock('../../shared/model/registry.js', async (importOriginal) => {
  const registry = await importOriginal<typeof import('../../shared/model/registry.js')>();
  return { ...registry, ALL_FEATURES: [...registry.ALL_FEATURES, mail] };
});

const { mail } = vi.hoisted(() => ({ mail: {
  name: 'mail',
  kind: 'service',
  description: 'test feature',
  requires: [],
  options: [],
  pythonDependencies: [],
  pythonDevDependencies: [],
  contributes: {
    routers: [
      { module: 'app.api.mail', alias: 'mail_router' },
      { module: 'app.api.mail_accounts', alias: 'mail_accounts_router', when: ({ has }) => has.auth === true },
    ],
    cli: [{ module: 'app.cli.mail_accounts', alias: 'mail_accounts_app', name: 'mail-accounts', when: ({ has }) => has.auth === true }],
    models: { modules: ['app.models.mail'], when: ({ has }) => has.auth === true },
  },
} satisfies FeatureSpec as FeatureSpec }));

const slotsOf = (features: readonly FeatureSpec[]) =>
  prepareSlots(features, () => '', { project: { name: 'demo', description: 'Demo' }, options: {} });

describe('conditional slot entries', () => {
  it('leaves out the entries whose `when` fails', () => {
    const slots = slotsOf([mail]);
    expect(slots.routers.routers.map((router) => router.alias)).toEqual(['mail_router']);
    expect(slots.routers.imports).not.toContain('mail_accounts');
    expect(slots.cli.groups).toEqual([]);
    expect(slots.models.imports).toBe('from app.models.base import metadata');
  });

  it('keeps them when it holds', () => {
    const slots = slotsOf([mail, findFeature('auth')!]);
    expect(slots.routers.routers.map((router) => router.alias)).toContain('mail_accounts_router');
    expect(slots.routers.imports).toContain('from app.api.mail_accounts import router as mail_accounts_router');
    expect(slots.cli.groups.map((group) => group.name)).toContain('mail-accounts');
    expect(slots.models.imports).toContain('from app.models import mail as mail');
  });
});
