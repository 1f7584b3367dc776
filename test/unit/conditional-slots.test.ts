/**
 * Conditional slot entries (shared/model/slots/condition.ts): a router, a CLI group or a model module that a feature
 * renders only with another feature is in the shared files only when its `when` holds. The comms service's account
 * routes and token tables exist only with auth.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import { findFeature } from '../../shared/model/registry.js';
import { prepareSlots } from '../../shared/engine/slots.js';

const feature = (name: string): FeatureSpec => findFeature(name)!;
const slotsOf = (features: readonly FeatureSpec[]) =>
  prepareSlots(features, () => '', { project: { name: 'demo', description: 'Demo' }, options: {} });

describe('conditional slot entries', () => {
  it('leaves out the entries whose `when` fails', () => {
    const slots = slotsOf([feature('comms')]);
    expect(slots.routers.routers.map((router) => router.alias)).not.toContain('comms_router');
    expect(slots.routers.imports).not.toContain('app.components.backend.api.comms');
    expect(slots.cli.groups.map((group) => group.name)).toContain('comms');
    expect(slots.models.imports).toBe('from app.models.base import metadata');
  });

  it('keeps them when it holds', () => {
    const slots = slotsOf([feature('comms'), feature('auth')]);
    expect(slots.routers.routers.map((router) => router.alias)).toContain('comms_router');
    expect(slots.routers.imports).toContain('from app.components.backend.api.comms.router import router as comms_router');
    expect(slots.models.imports).toContain('from app.models import comms as comms');
  });
});
