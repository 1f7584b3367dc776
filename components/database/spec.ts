import type { FeatureSpec, OptionValues } from '../../shared/model/feature-spec.js';

/** The default `DATABASE_URL`, for local development: a file in the data folder, or the compose PostgreSQL on loopback. */
function databaseUrl(projectName: string, options: OptionValues): string {
  return options.engine === 'postgres'
    ? `postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/${projectName}`
    : 'sqlite+aiosqlite:///./data/app.db';
}

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
  // The PostgreSQL tests start an embedded server when no TEST_POSTGRES_URL is set.
  pythonDevDependencies: [{ name: 'embedded-postgres', when: { engine: 'postgres' } }],
  contributes: {
    settings: {
      sections: [
        {
          heading: { config: 'Database', dotenv: 'Database (make migrate creates or upgrades the schema)' },
          entries: [
            {
              env: 'DATABASE_URL',
              field: { name: 'database_url', type: 'str', text: ({ project, options }) => databaseUrl(project.name, options) },
              dotenv: ({ project, options }) => ({
                value: databaseUrl(project.name, options),
                above:
                  options.engine === 'postgres'
                    ? [
                        'make postgres starts one on 127.0.0.1:5432 with docker compose (POSTGRES_USER,',
                        'POSTGRES_PASSWORD and POSTGRES_DB set its user, password and database)',
                      ]
                    : ['SQLite file under data/; for PostgreSQL: postgresql+asyncpg://user:password@host:5432/db'],
              }),
              readme: ({ project, options }) => ({
                default: `\`${databaseUrl(project.name, options)}\``,
                notes: '`sqlite+aiosqlite:///…` or `postgresql+asyncpg://…`',
              }),
            },
            {
              env: 'DATABASE_ECHO',
              field: { name: 'database_echo', type: 'bool', default: 'False' },
              dotenv: { value: 'false' },
              readme: { default: '`false`', notes: 'log every SQL statement' },
            },
            {
              env: 'DATABASE_POOL_SIZE',
              field: { name: 'database_pool_size', type: 'int', default: 'Field(default=5, ge=1)', comment: 'PostgreSQL only' },
              dotenv: ({ options }) => (options.engine === 'postgres' ? { value: '5' } : undefined),
              readme: { default: '`5`', notes: 'PostgreSQL only' },
            },
            {
              env: 'DATABASE_BUSY_TIMEOUT_MS',
              field: { name: 'database_busy_timeout_ms', type: 'int', default: 'Field(default=5000, ge=0)', comment: 'SQLite only' },
              dotenv: ({ options }) => (options.engine === 'postgres' ? undefined : { value: '5000' }),
              readme: { default: '`5000`', notes: 'SQLite only' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'database', module: 'app.components.database.health', fn: 'check_database' }],
    ci: {
      services: 'contrib/ci.services.yml.ejs',
      environment: [{ name: 'TEST_POSTGRES_URL', value: 'postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/postgres', if: 'postgres' }],
    },
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    readme: {
      setup: ({ options }) => [
        ...(options.engine === 'postgres' ? ['make postgres           # a local PostgreSQL with docker compose, unless one runs already'] : []),
        'make migrate            # create or upgrade the database schema',
      ],
      commands: {
        lines: ['make migrate      # upgrade the database to the latest migration', 'make migration m="add orders"  # a migration from your model changes'],
        order: 2,
      },
      section: { fragment: 'contrib/README.md.ejs' },
      tests: { fragment: 'contrib/README.tests.md.ejs' },
      layout: {
        lines: [
          '  core/db.py            engine, sessions (SessionDep, session_scope); migrations.py (Alembic)',
          '  components/database/  the database health check',
          '  models/               table models, all imported in __init__.py',
        ],
      },
      rootLayout: ['alembic/                migrations (versions/), env.py; alembic.ini at the root'],
    },
    // The database is entered first, and its CLI group comes first.
    lifespan: [{ module: 'app.core.db', fn: 'database_lifespan', argument: 'settings', order: -1 }],
    cli: [{ module: 'app.cli.db', alias: 'db_app', name: 'db', order: -1 }],
    pytest: { plugins: ['tests.db_support'] },
    mypy: [{ comment: 'A dev dependency of PostgreSQL projects only (SQLite ones skip its tests).', modules: ['embedded_postgres', 'embedded_postgres.*'] }],
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
};
