import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addFeatures,
  initProject,
  readTree,
  removeFeatures,
  runFeatureGenerator,
  scratchDir,
  treeHash,
} from '../../test/support/project-runner.js';

const CHECKS = 'app/services/system/checks.py';
const CONFIG = 'app/core/config.py';
const read = (project: string, path: string): string => readFileSync(join(project, path), 'utf8');
const state = (project: string) => JSON.parse(read(project, '.yo-rc.json'))['generator-aegis'];

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('yo aegis:scheduler', () => {
  it('adds the component: its files, settings, health check, compose service, Makefile target, dependency', async () => {
    const project = await initProject(scratchDir(), 'demo');
    await runFeatureGenerator(project, 'scheduler');
    for (const path of ['app/components/scheduler.py', 'app/components/scheduler_health.py', 'app/entrypoints/scheduler.py', 'tests/test_scheduler.py']) {
      expect(existsSync(join(project, path)), path).toBe(true);
    }
    expect(read(project, CHECKS)).toContain('registry.register("scheduler", check_scheduler)');
    expect(read(project, CONFIG)).toContain('scheduler_persistence: SchedulerPersistence = "memory"');
    expect(read(project, 'docker-compose.yml')).toContain('command: ["python", "-m", "app.entrypoints.scheduler"]');
    expect(read(project, 'Makefile')).toContain('scheduler: ## Run the scheduler process');
    expect(read(project, 'pyproject.toml')).toContain('"apscheduler==3.11.3"');
    expect(read(project, 'pyproject.toml')).not.toContain('sqlalchemy');
    expect(state(project).answers).toMatchObject({ components: ['scheduler'], options: { scheduler: { persistence: 'memory' } } });
  });

  it('takes --persistence sqlite, which adds SQLAlchemy and nothing else', async () => {
    const project = await initProject(scratchDir(), 'demo');
    await runFeatureGenerator(project, 'scheduler', { persistence: 'sqlite' });
    expect(read(project, CONFIG)).toContain('scheduler_persistence: SchedulerPersistence = "sqlite"');
    expect(read(project, 'pyproject.toml')).toContain('"sqlalchemy==');
    expect(state(project).answers.components).toEqual(['scheduler']);
  });

  it('takes persistence=postgres, which brings the database on PostgreSQL and psycopg for the job store', async () => {
    const project = await initProject(scratchDir(), 'demo');
    await addFeatures(project, ['scheduler[persistence=postgres]']);
    expect(state(project).answers).toMatchObject({
      components: ['scheduler'],
      options: { scheduler: { persistence: 'postgres' }, database: { engine: 'postgres' } },
    });
    expect(read(project, CONFIG)).toContain('SchedulerPersistence = Literal["memory", "sqlite", "postgres"]');
    expect(read(project, CONFIG)).toContain('scheduler_persistence: SchedulerPersistence = "postgres"');
    expect(read(project, 'pyproject.toml')).toContain('"psycopg[binary]==3.3.9"');
    expect(read(project, 'pyproject.toml')).toContain('"asyncpg==');
    expect(read(project, 'app/components/scheduler.py')).toContain('POSTGRES_SYNC_DRIVER = "postgresql+psycopg"');
    expect(read(project, 'docker-compose.yml')).toMatch(/scheduler:\n(?:.*\n)*?\s+DATABASE_URL: postgresql\+asyncpg:\/\/.*@postgres:5432\//);
    const reference = await initProject(scratchDir(), 'demo', { components: 'scheduler[postgres]' });
    expect(readTree(project)).toEqual(readTree(reference));
  });

  it('refuses persistence=postgres on a project whose database is SQLite, naming the fix, and changes nothing', async () => {
    const project = await initProject(scratchDir(), 'demo', { components: 'database' });
    const hash = treeHash(project);
    await expect(addFeatures(project, ['scheduler[persistence=postgres]'])).rejects.toThrow(
      'scheduler needs database[engine=postgres], but it is set to engine=sqlite. A project has one database: choose the same engine for both. To change it, name it in the same command: "database[engine=postgres]".',
    );
    expect(treeHash(project)).toBe(hash);
  });

  it('changes the persistence of a project that has the scheduler, as an option change', async () => {
    const project = await initProject(scratchDir(), 'demo', { components: 'scheduler' });
    await addFeatures(project, ['scheduler[sqlite]']);
    expect(read(project, CONFIG)).toContain('= "sqlite"');
    const reference = await initProject(scratchDir(), 'demo', { components: 'scheduler[sqlite]' });
    expect(readTree(project)).toEqual(readTree(reference));
  });

  it('--remove takes it out again', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const before = readTree(project);
    await runFeatureGenerator(project, 'scheduler');
    await runFeatureGenerator(project, 'scheduler', { remove: true });
    expect(readTree(project)).toEqual(before);
  });

  it('marks a line both the user and the template changed, lists the file and fails the command', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const userLine = '    registry.register("frontend", check_frontend, timeout=2.0)  # mine\n';
    writeFileSync(join(project, CHECKS), read(project, CHECKS).replace('    registry.register("frontend", check_frontend)\n', userLine));
    const changes = await addFeatures(project, ['scheduler']);
    const checks = read(project, CHECKS);
    expect(checks).toContain(`<<<<<<< ours\n${userLine}=======\n`);
    expect(checks).toContain('    registry.register("scheduler", check_scheduler)\n>>>>>>> template\n');
    expect(process.exitCode).toBe(1);
    expect(changes.filter((change) => change.action === 'conflict').map((change) => change.path)).toEqual([CHECKS]);
    expect(existsSync(join(project, 'app/components/scheduler.py'))).toBe(true);
  });

  it('keeps CRLF line endings and a missing final newline exactly, through add and remove', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const makefile = join(project, 'Makefile');
    writeFileSync(makefile, read(project, 'Makefile').replace(/\n/g, '\r\n'));
    const pyproject = join(project, 'pyproject.toml');
    writeFileSync(pyproject, read(project, 'pyproject.toml').replace(/\n$/, ''));
    const edited = readTree(project);
    await addFeatures(project, ['scheduler']);
    expect(read(project, 'Makefile')).toContain('scheduler: ## Run the scheduler process (the jobs in app/components/scheduler.py)\r\n');
    expect(read(project, 'Makefile').replace(/\r\n/g, '')).not.toContain('\n');
    expect(read(project, 'pyproject.toml')).toContain('apscheduler==');
    expect(read(project, 'pyproject.toml').endsWith('\n')).toBe(false);
    await removeFeatures(project, ['scheduler']);
    expect(readTree(project)).toEqual(edited);
  });

  it('keeps, and reports, a component file the user changed when the component is removed', async () => {
    const project = await initProject(scratchDir(), 'demo', { components: 'scheduler' });
    const jobs = join(project, 'app/components/scheduler.py');
    writeFileSync(jobs, `${readFileSync(jobs, 'utf8')}\n# my nightly job\n`);
    const changes = await removeFeatures(project, ['scheduler']);
    expect(readFileSync(jobs, 'utf8')).toContain('# my nightly job');
    expect(existsSync(join(project, 'app/entrypoints/scheduler.py'))).toBe(false);
    expect(changes.find((change) => change.path === 'app/components/scheduler.py')).toMatchObject({
      action: 'keep',
      reason: expect.stringContaining('you changed it'),
    });
  });

  it('fails, once the files are written, when a kept file still imports apscheduler after it left pyproject.toml', async () => {
    const project = await initProject(scratchDir(), 'demo', { components: 'scheduler' });
    const jobs = join(project, 'app/components/scheduler.py');
    writeFileSync(jobs, `${readFileSync(jobs, 'utf8')}\n# my nightly job\n`);
    await removeFeatures(project, ['scheduler']);
    expect(read(project, 'pyproject.toml')).not.toContain('apscheduler');
    expect(readFileSync(jobs, 'utf8')).toContain('# my nightly job');
    expect(process.exitCode).toBe(1);
  });

  it('removes cleanly, with exit code untouched, when no file is left importing apscheduler', async () => {
    const project = await initProject(scratchDir(), 'demo', { components: 'scheduler' });
    await removeFeatures(project, ['scheduler']);
    expect(process.exitCode).toBeUndefined();
  });

  it('--dry-run prints the plan with diffs and writes nothing', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const hash = treeHash(project);
    const out = vi.spyOn(process.stdout, 'write');
    await addFeatures(project, ['scheduler'], { dryRun: true });
    expect(treeHash(project)).toBe(hash);
    const printed = out.mock.calls.map(([chunk]) => String(chunk)).join('');
    expect(printed).toMatch(/create\s+app\/components\/scheduler\.py/);
    expect(printed).toContain('+    registry.register("scheduler", check_scheduler)');
    expect(printed).toContain('Dry run: nothing was written.');
  });

  it('refuses a project another version rendered last, naming the update that brings it in step', async () => {
    const project = await initProject(scratchDir(), 'demo');
    writeFileSync(join(project, '.yo-rc.json'), read(project, '.yo-rc.json').replace(/"version": "[^"]+"/, '"version": "0.0.9"'));
    const before = treeHash(project);
    await expect(addFeatures(project, ['scheduler'])).rejects.toThrow(
      /was last rendered by generator-aegis 0\.0\.9, and this is .*: run "aegis update" first to bring in the template changes since 0\.0\.9/,
    );
    writeFileSync(join(project, '.yo-rc.json'), read(project, '.yo-rc.json').replace(/"version": "[^"]+"/, '"version": "99.0.0"'));
    await expect(removeFeatures(project, ['scheduler'])).rejects.toThrow(/install that version \(npm install -g generator-aegis@99\.0\.0\)/);
    writeFileSync(join(project, '.yo-rc.json'), read(project, '.yo-rc.json').replace(/"version": "[^"]+"/, '"version": "0.0.9"'));
    expect(treeHash(project)).toBe(before);
  });

  it('keeps other generators\u2019 entries in .yo-rc.json', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const rc = JSON.parse(read(project, '.yo-rc.json'));
    writeFileSync(join(project, '.yo-rc.json'), `${JSON.stringify({ 'generator-other': { x: 1 }, ...rc }, null, 2)}\n`);
    await addFeatures(project, ['scheduler']);
    expect(JSON.parse(read(project, '.yo-rc.json'))['generator-other']).toEqual({ x: 1 });
  });
});

describe('refusals change nothing', () => {
  it('outside a project, or with a corrupt .yo-rc.json, says so', async () => {
    const empty = scratchDir();
    await expect(addFeatures(empty, ['scheduler'])).rejects.toThrow('is not a generator-aegis project (no .yo-rc.json)');
    const project = await initProject(scratchDir(), 'demo');
    writeFileSync(join(project, '.yo-rc.json'), '{ "generator-aegis": ');
    const hash = treeHash(project);
    // yo reads .yo-rc.json itself before the generator runs (the aegis bin checks it first: see the CLI tests).
    await expect(addFeatures(project, ['scheduler'])).rejects.toThrow(/not valid JSON|Could not parse JSON in file: .*\.yo-rc\.json/);
    expect(treeHash(project)).toBe(hash);
  });

  it('refuses unknown names and options with the closest valid one', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const hash = treeHash(project);
    await expect(addFeatures(project, ['shceduler'])).rejects.toThrow('Did you mean "scheduler"?');
    await expect(addFeatures(project, ['scheduler'], { persistence: 'redis' })).rejects.toThrow('choose one of memory, sqlite, postgres');
    expect(treeHash(project)).toBe(hash);
  });

  it('writes nothing when any file cannot be planned (all or nothing)', async () => {
    const project = await initProject(scratchDir(), 'demo');
    mkdirSync(join(project, 'app/entrypoints/scheduler.py'));
    const hash = treeHash(project);
    await expect(addFeatures(project, ['scheduler'])).rejects.toThrow('is a folder, but the template has a file there');
    expect(treeHash(project)).toBe(hash);
    expect(existsSync(join(project, 'app/components/scheduler.py'))).toBe(false);
    rmSync(join(project, 'app/entrypoints/scheduler.py'), { recursive: true });
  });
});
