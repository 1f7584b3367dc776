import { describe, expect, it } from 'vitest';
import { parseState } from '../../shared/model/project-state.js';
import { type StateMigration, migrateRecordedAnswers } from '../../shared/model/state-migrations.js';

const RENAME_CRON: StateMigration = {
  version: '0.9.0',
  description: 'the "cron" component is now "scheduler", its option "store" now "persistence"',
  migrate: (answers) => {
    const components = (answers.components as string[]).map((name) => (name === 'cron' ? 'scheduler' : name));
    const options = { ...(answers.options as Record<string, Record<string, string>>) };
    if (options.cron) {
      options.scheduler = { persistence: options.cron.store! };
      delete options.cron;
    }
    return { ...answers, components, options };
  },
};

const recorded = (version: string): string =>
  JSON.stringify({
    'generator-aegis': {
      version,
      answers: { name: 'demo', description: 'Demo', pythonVersion: '3.11', components: ['cron'], services: [], options: { cron: { store: 'sqlite' } } },
    },
  });

describe('state migrations', () => {
  it('read a project recorded before a rename in the new names, instead of refusing it', () => {
    const state = parseState(recorded('0.8.2'), '.yo-rc.json', [RENAME_CRON]);
    expect(state.answers.components).toEqual(['scheduler']);
    expect(state.answers.options.scheduler).toEqual({ persistence: 'sqlite' });
    expect(state.version).toBe('0.8.2');
  });

  it('leave projects recorded at or after the migration alone', () => {
    expect(migrateRecordedAnswers('0.9.0', { components: ['cron'] }, [RENAME_CRON])).toEqual({ components: ['cron'] });
    expect(() => parseState(recorded('0.9.0'), '.yo-rc.json', [RENAME_CRON])).toThrow(/cron/);
  });

  it('run in release order, each on the result of the one before', () => {
    const order: string[] = [];
    const step = (version: string): StateMigration => ({ version, description: version, migrate: (answers) => (order.push(version), answers) });
    migrateRecordedAnswers('0.1.0', {}, [step('0.2.0'), step('0.3.0'), step('0.10.0')]);
    expect(order).toEqual(['0.2.0', '0.3.0', '0.10.0']);
  });
});
