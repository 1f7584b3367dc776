/**
 * The CI and AGENTS.md slots: a feature's service fragment reaches the workflow only when it renders something, its
 * variables only `if` their prepared boolean holds, and sections come in registry order.
 */
import { describe, expect, it } from 'vitest';
import { database } from '../../components/database/spec.js';
import { redis } from '../../components/redis/spec.js';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import { prepareSlots } from '../../shared/engine/slots.js';

const SETTINGS = { project: { name: 'demo', description: 'Demo' }, options: { database: { engine: 'sqlite' } } };

const withRedis: FeatureSpec = {
  ...redis,
  contributes: {
    ci: { services: 'redis-services', environment: [{ name: 'REDIS_URL', value: 'redis://127.0.0.1:6379/0' }] },
    agents: { fragment: 'redis-agents' },
  },
};
const withDatabase: FeatureSpec = {
  ...database,
  contributes: {
    ci: { services: 'database-services', environment: [{ name: 'TEST_POSTGRES_URL', value: 'postgresql://ci', if: 'postgres' }] },
    agents: { fragment: 'database-agents' },
  },
};

/** Fragments render as their name, but the database's services render nothing without PostgreSQL. */
function slots(prepared: Record<string, unknown>, features: readonly FeatureSpec[] = [withRedis, withDatabase]) {
  const render = (feature: FeatureSpec, fragment: string): string =>
    fragment === 'database-services' && !prepared.postgres ? '\n' : `${fragment}\n`;
  return prepareSlots(features, render, SETTINGS, (template) => template, (feature) => (feature.name === 'database' ? prepared : {}));
}

describe('the ci slot', () => {
  it('keeps the service fragments that render something and the variables whose `if` holds', () => {
    expect(slots({ postgres: true }).ci).toEqual({
      services: ['redis-services\n', 'database-services\n'],
      environment: [
        { name: 'REDIS_URL', value: 'redis://127.0.0.1:6379/0' },
        { name: 'TEST_POSTGRES_URL', value: 'postgresql://ci' },
      ],
    });
    expect(slots({ postgres: false }).ci).toEqual({
      services: ['redis-services\n'],
      environment: [{ name: 'REDIS_URL', value: 'redis://127.0.0.1:6379/0' }],
    });
  });

  it('is empty without a feature contributing to it', () => {
    expect(slots({}, []).ci).toEqual({ services: [], environment: [] });
  });

  it('refuses a variable whose `if` names no prepared value', () => {
    expect(() => slots({ postgress: true })).toThrow(/ci entry's "if: postgres"/);
  });
});

describe('the agents slot', () => {
  it('holds each feature\'s section in registry order, whatever order they were selected in', () => {
    expect(slots({ postgres: false }, [withDatabase, withRedis]).agents.sections).toEqual(['redis-agents\n', 'database-agents\n']);
  });
});
