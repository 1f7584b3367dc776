import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { addFeatures, initProject, readTree, removeFeatures, runFeatureGenerator, scratchDir, treeHash } from '../../test/support/project-runner.js';

const read = (project: string, path: string): string => readFileSync(join(project, path), 'utf8');
const state = (project: string) => JSON.parse(read(project, '.yo-rc.json'))['generator-aegis'];

const DATABASE_FILES = ['app/core/db.py', 'app/core/migrations.py', 'app/models/__init__.py', 'alembic.ini', 'alembic/env.py', 'alembic/versions/.gitkeep', 'app/cli/db.py'];
const AUTH_FILES = ['app/models/user.py', 'app/core/security.py', 'alembic/versions/0001_auth_users.py', 'app/services/auth/service.py', 'app/components/backend/api/auth/router.py', 'app/cli/auth.py'];

afterEach(() => {
  process.exitCode = undefined;
});

describe('yo aegis:database', () => {
  it('adds SQLite by default: engine, migrations, CLI, health check, no server', async () => {
    const project = await initProject(scratchDir(), 'shop');
    await runFeatureGenerator(project, 'database');
    for (const path of DATABASE_FILES) expect(existsSync(join(project, path)), path).toBe(true);
    for (const path of AUTH_FILES) expect(existsSync(join(project, path)), path).toBe(false);
    expect(read(project, 'app/core/config.py')).toContain('    database_url: str = "sqlite+aiosqlite:///./data/app.db"\n');
    expect(read(project, 'app/services/system/checks.py')).toContain('registry.register("database", check_database)');
    const pyproject = read(project, 'pyproject.toml');
    for (const pin of ['sqlmodel==', 'alembic==', 'aiosqlite==', 'greenlet==', 'sqlalchemy==']) expect(pyproject).toContain(pin);
    expect(pyproject).not.toContain('asyncpg');
    expect(pyproject).toContain('known-third-party = ["alembic"]');
    const compose = yaml.load(read(project, 'docker-compose.yml')) as { services: Record<string, Record<string, unknown>> };
    expect(Object.keys(compose.services)).toEqual(['migrate', 'webserver']);
    expect(compose.services.webserver!.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
    expect(read(project, 'Makefile')).toContain('migration: ## Create a migration from the models: make migration m="add orders"');
    expect(read(project, 'Dockerfile')).toContain('COPY --from=builder --chown=app:app /app/alembic /app/alembic');
    expect(state(project).answers).toMatchObject({ components: ['database'], options: { database: { engine: 'sqlite' } } });
  });

  it('--engine postgres adds asyncpg and a PostgreSQL service the web server and migrations wait for', async () => {
    const project = await initProject(scratchDir(), 'shop');
    await runFeatureGenerator(project, 'database', { engine: 'postgres' });
    expect(read(project, 'app/core/config.py')).toContain('"postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/shop"');
    expect(read(project, 'pyproject.toml')).toContain('"asyncpg==');
    const compose = yaml.load(read(project, 'docker-compose.yml')) as {
      services: Record<string, { environment?: Record<string, string>; depends_on?: unknown; volumes?: string[] }>;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(compose.services)).toEqual(['postgres', 'migrate', 'webserver']);
    expect(compose.services.postgres!.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('postgres-data');
    const url = 'postgresql+asyncpg://${POSTGRES_USER:-postgres}:${POSTGRES_PASSWORD:-postgres}@postgres:5432/${POSTGRES_DB:-shop}';
    expect(compose.services.migrate!.environment).toEqual({ DATABASE_URL: url });
    expect(compose.services.webserver!.environment?.DATABASE_URL).toBe(url);
    expect(compose.services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('switching the engine later is an option change of the one database, not a second one', async () => {
    const project = await initProject(scratchDir(), 'shop', { components: 'database' });
    await addFeatures(project, ['database'], { engine: 'postgres' });
    const reference = await initProject(scratchDir(), 'shop', { components: 'database[postgres]' });
    expect(readTree(project)).toEqual(readTree(reference));
  });

  it('refuses an unknown engine, naming the supported ones, and changes nothing', async () => {
    const project = await initProject(scratchDir(), 'shop');
    const hash = treeHash(project);
    await expect(addFeatures(project, ['database'], { engine: 'mysql' })).rejects.toThrow('choose one of sqlite, postgres');
    await expect(addFeatures(project, ['database[mysql]'])).rejects.toThrow('(engine: sqlite|postgres)');
    expect(treeHash(project)).toBe(hash);
  });
});

describe('yo aegis:auth', () => {
  it('adds auth and the database it needs, with the user model, migration, routes, dependencies and CLI', async () => {
    const project = await initProject(scratchDir(), 'shop');
    await runFeatureGenerator(project, 'auth');
    for (const path of [...DATABASE_FILES, ...AUTH_FILES]) expect(existsSync(join(project, path)), path).toBe(true);
    expect(read(project, 'app/models/__init__.py')).toContain('from app.models import user as user');
    expect(read(project, 'app/components/backend/api/deps.py')).toContain('async def get_current_active_user(user: CurrentUser) -> User:');
    expect(read(project, 'app/components/backend/api/routing.py')).toContain('    app.include_router(auth_router)\n');
    expect(read(project, 'app/core/config.py')).toContain('secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)');
    for (const pin of ['pwdlib[argon2]==', 'pyjwt==', 'email-validator==', 'python-multipart==']) expect(read(project, 'pyproject.toml')).toContain(pin);
    expect(state(project).answers).toMatchObject({ services: ['auth'], components: [] });
  });

  it('--remove takes auth and the database it brought out, byte for byte', async () => {
    const project = await initProject(scratchDir(), 'shop');
    const before = readTree(project);
    await runFeatureGenerator(project, 'auth');
    await runFeatureGenerator(project, 'auth', { remove: true });
    expect(readTree(project)).toEqual(before);
  });

  it('keeps a database the user added by name when auth goes', async () => {
    const project = await initProject(scratchDir(), 'shop', { components: 'database' });
    await addFeatures(project, ['auth']);
    await removeFeatures(project, ['auth']);
    expect(existsSync(join(project, 'app/core/db.py'))).toBe(true);
    expect(existsSync(join(project, 'app/models/user.py'))).toBe(false);
    expect(read(project, 'app/models/__init__.py')).not.toContain('user');
  });

  it('refuses to remove the database while auth needs it, naming auth', async () => {
    const project = await initProject(scratchDir(), 'shop', { services: 'auth' });
    const hash = treeHash(project);
    await expect(removeFeatures(project, ['database'])).rejects.toThrow('Cannot remove database: auth requires it');
    expect(treeHash(project)).toBe(hash);
  });
});
