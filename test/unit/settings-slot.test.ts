/**
 * The settings slot (shared/model/slots/settings.ts): one list of entries per feature yields the config.py
 * fields, the .env.example lines, the README rows and the catalog's variables, so these cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { ALL_FEATURES, findFeature } from '../../shared/model/registry.js';
import { settingVariables } from '../../shared/engine/slots.js';
import { renderStack } from '../support/golden.js';
import { STACKS } from '../support/stack-matrix.js';

const variables = (name: string): string[] => settingVariables(findFeature(name)!);

function rendered(stack: string): { config: string; dotenv: string; readme: string } {
  const tree = renderStack(STACKS.find((candidate) => candidate.name === stack)!);
  const text = (path: string): string => tree.get(path) as string;
  return { config: text('app/core/config.py'), dotenv: text('.env.example'), readme: text('README.md') };
}

/** The variables config.py's `Settings` reads: its fields, upper-cased. */
function fields(config: string): string[] {
  const body = config.slice(config.indexOf('class Settings('), config.indexOf('@model_validator'));
  return [...body.matchAll(/^ {4}([a-z][a-z0-9_]*): /gm)].map((match) => match[1]!.toUpperCase());
}

describe('the settings slot', () => {
  it('declares each variable once across the features', () => {
    const all = ALL_FEATURES.flatMap(settingVariables);
    expect(new Set(all).size).toBe(all.length);
  });

  it('lists in the catalog what the projects render, the scheduler data folder and the admin switch included', () => {
    expect(variables('scheduler')).toEqual(['SCHEDULER_PERSISTENCE', 'SCHEDULER_DATA_DIR', 'SCHEDULER_STATUS_PATH', 'SCHEDULER_HEARTBEAT_SECONDS']);
    expect(variables('backend')).toContain('ADMIN_API_ENABLED');
    expect(variables('worker')).toContain('WORKER_PROBE_URLS');
    expect(variables('ai')).toEqual(expect.arrayContaining(['ANTHROPIC_API_KEY', 'GOOGLE_API_KEY', 'GROQ_API_KEY', 'OPENAI_API_KEY']));
    const declared = new Set(ALL_FEATURES.flatMap(settingVariables));
    for (const stack of STACKS) {
      const { config, dotenv } = rendered(stack.name);
      for (const field of fields(config)) expect(declared, `${stack.name}: config.py ${field}`).toContain(field);
      for (const match of dotenv.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)) expect(declared, `${stack.name}: .env.example`).toContain(match[1]);
    }
  });

  it('has the admin switch only where the base admin guard is used (without auth)', () => {
    const base = rendered('base');
    expect(fields(base.config)).toContain('ADMIN_API_ENABLED');
    expect(base.config).toContain('def serve_admin_api');
    expect(base.dotenv).toContain('# ADMIN_API_ENABLED=false');
    expect(base.readme).toContain('| `ADMIN_API_ENABLED` |');
    const auth = rendered('auth');
    expect(fields(auth.config)).not.toContain('ADMIN_API_ENABLED');
    expect(auth.config).not.toContain('admin_api');
    expect(auth.dotenv).not.toContain('ADMIN_API_ENABLED');
    expect(auth.readme).not.toContain('`ADMIN_API_ENABLED`');
  });

  it('computes the database URL per engine in the database spec', () => {
    expect(rendered('database').dotenv).toContain('DATABASE_URL=sqlite+aiosqlite:///./data/app.db\n');
    expect(rendered('database-postgres').config).toMatch(/database_url: str = "postgresql\+asyncpg:\/\/postgres:postgres@127\.0\.0\.1:5432\/[\w-]+"/);
  });

  it('computes definitions from the options: the scheduler names postgres only where it stores jobs there', () => {
    expect(rendered('scheduler').config).toContain('SchedulerPersistence = Literal["memory", "sqlite"]\n');
    expect(rendered('scheduler-sqlite').config).toContain('SchedulerPersistence = Literal["memory", "sqlite"]\n');
    const postgres = rendered('scheduler-postgres');
    expect(postgres.config).toContain('SchedulerPersistence = Literal["memory", "sqlite", "postgres"]\n');
    expect(postgres.config).toContain('scheduler_persistence: SchedulerPersistence = "postgres"');
    expect(postgres.config).toMatch(/database_url: str = "postgresql\+asyncpg:/);
    expect(postgres.dotenv).toContain('# SCHEDULER_PERSISTENCE=postgres\n');
  });
});
