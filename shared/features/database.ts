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
  composeServices: ['migrate', { name: 'postgres', when: { engine: 'postgres' } }],
  envVars: ['DATABASE_URL', 'DATABASE_ECHO', 'DATABASE_POOL_SIZE', 'DATABASE_BUSY_TIMEOUT_MS'],
  healthCheck: 'database',
  runCommand: { command: 'make migrate', description: 'create or upgrade the database schema' },
  generator: 'database',
};
