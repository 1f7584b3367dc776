import type { FeatureSpec } from './feature-spec.js';

export const database: FeatureSpec = {
  name: 'database',
  kind: 'component',
  description: 'SQLModel on async SQLAlchemy with Alembic migrations, its health (engine, size, revision) on the dashboard',
  requires: [],
  options: [
    {
      name: 'engine',
      description: 'SQLite: a file in the data folder, no server; PostgreSQL: a compose service (asyncpg)',
      values: ['sqlite', 'postgres'],
      default: 'sqlite',
    },
  ],
  // aiosqlite in both: the generated tests run on throwaway SQLite files, and PostgreSQL where one answers.
  pythonDependencies: ['sqlmodel', 'sqlalchemy', 'greenlet', 'alembic', 'aiosqlite', { name: 'asyncpg', when: { engine: 'postgres' } }],
  pythonDevDependencies: [],
  envVars: ['DATABASE_URL', 'DATABASE_ECHO', 'DATABASE_POOL_SIZE', 'DATABASE_BUSY_TIMEOUT_MS'],
  contributes: {
    health: [{ name: 'database', module: 'app.components.database.health', fn: 'check_database' }],
    // The database is entered first, and its CLI group comes first.
    lifespan: [{ module: 'app.core.db', fn: 'database_lifespan', argument: 'settings', order: -1 }],
    cli: [{ module: 'app.cli.db', alias: 'db_app', name: 'db', order: -1 }],
    pytest: { plugins: ['tests.db_support'] },
    isort: { knownThirdParty: ['alembic'], comment: 'The alembic/ migrations folder is not the alembic package.' },
    make: { fragment: 'contrib/Makefile.ejs' },
    docker: { runtime: 'contrib/Dockerfile.runtime.ejs' },
    compose: {
      services: [{ name: 'migrate' }, { name: 'postgres', when: { engine: 'postgres' } }],
      fragment: 'contrib/compose.yml.ejs',
      environment: [{ name: 'DATABASE_URL', value: '<%= database.composeUrl %>', if: 'postgres' }],
      dependsOn: [{ service: 'migrate', condition: 'service_completed_successfully' }],
      volumes: [{ name: 'postgres-data', if: 'postgres' }],
      production: 'contrib/compose.prod.yml.ejs',
    },
  },
  prepare: (values, project) => ({
    postgres: values.engine === 'postgres',
    /** `DATABASE_URL` inside compose, where PostgreSQL is the `postgres` service (empty with SQLite). */
    composeUrl:
      values.engine === 'postgres'
        ? `postgresql+asyncpg://\${POSTGRES_USER:-postgres}:\${POSTGRES_PASSWORD:-postgres}@postgres:5432/\${POSTGRES_DB:-${project.name}}`
        : '',
  }),
  runCommand: { command: 'make migrate', description: 'create or upgrade the database schema' },
  generator: 'database',
};
