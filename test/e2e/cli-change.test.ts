import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtBin, readTree, run, tempDir } from '../support/processes.js';

// The built bin (npm test builds first), run as a user runs it: a child process with no terminal.
function aegis(args: readonly string[], cwd: string) {
  return run(process.execPath, [builtBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
}

function newProject(): string {
  const parent = tempDir('cli-change');
  const result = aegis(['init', 'demo', '--yes', '--skip-install'], parent);
  expect(result.status, result.stderr).toBe(0);
  return join(parent, 'demo');
}

describe('aegis add / remove', () => {
  it('adds the scheduler from inside the project and removes it from outside with --project-path', () => {
    const project = newProject();
    const before = readTree(project);
    const added = aegis(['add', 'scheduler', '--skip-install'], project);
    expect(added.status, added.stderr).toBe(0);
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).toContain('apscheduler==');
    expect(added.stderr).toMatch(/Changed: .*create/);
    const removed = aegis(['remove', 'scheduler', '--skip-install', '--project-path', project], tempDir('elsewhere'));
    expect(removed.status, removed.stderr).toBe(0);
    expect(readTree(project)).toEqual(before);
  });

  it('leaves what a .yo-resolve line marks skip as it is, and says so', () => {
    const project = newProject();
    writeFileSync(join(project, '.yo-resolve'), 'Makefile skip  # our own targets\n');
    const makefile = readFileSync(join(project, 'Makefile'), 'utf8');
    const added = aegis(['add', 'scheduler', '--skip-install'], project);
    expect(added.status, added.stderr).toBe(0);
    expect(readFileSync(join(project, 'Makefile'), 'utf8')).toBe(makefile);
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).toContain('apscheduler==');
    expect(added.stderr).toContain('Makefile');
    expect(added.stderr).toContain('.yo-resolve:1 says skip');
  });

  it('remove fails, naming the file, the line and the fix, when an edited kept file still imports what it dropped', () => {
    const project = newProject();
    expect(aegis(['add', 'scheduler', '--skip-install'], project).status).toBe(0);
    const jobs = join(project, 'app/components/scheduler.py');
    writeFileSync(jobs, `${readFileSync(jobs, 'utf8')}\n# my nightly job\n`);
    const removed = aegis(['remove', 'scheduler', '--skip-install'], project);
    expect(removed.status, removed.stderr).toBe(1);
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).not.toContain('apscheduler');
    expect(removed.stderr).toMatch(/app\/components\/scheduler\.py:\d+ +from apscheduler[^\n]*\(apscheduler\)/);
    expect(removed.stderr).toContain('Remove the import, or add the dependency back with `uv add apscheduler`.');
  });

  it('takes options in brackets or as flags', () => {
    const project = newProject();
    expect(aegis(['add', 'scheduler[sqlite]', '--skip-install'], project).status).toBe(0);
    const config = readFileSync(join(project, 'app/core/config.py'), 'utf8');
    expect(config).toContain('scheduler_persistence: SchedulerPersistence = "sqlite"');
    const back = aegis(['add', 'scheduler', '--persistence', 'memory', '--skip-install'], project);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stderr).toContain('scheduler: persistence sqlite → memory');
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).not.toContain('sqlalchemy');
  });

  it('--dry-run prints created files and unified diffs on stdout and writes nothing', () => {
    const project = newProject();
    const before = readTree(project);
    const { status, stdout } = aegis(['add', 'scheduler', '--dry-run'], project);
    expect(status).toBe(0);
    expect(stdout).toMatch(/create\s+app\/entrypoints\/scheduler\.py/);
    expect(stdout).toContain('--- a/Makefile\n');
    expect(stdout).toContain('+scheduler: ## Run the scheduler process');
    expect(stdout).toContain('Dry run: nothing was written.');
    expect(readTree(project)).toEqual(before);
  });

  it('--dry-run --json and --stat describe the plan for scripts on add too, and write nothing', () => {
    const project = newProject();
    const before = readTree(project);
    const json = aegis(['add', 'worker', '--dry-run', '--json'], project);
    expect(json.status, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { notes: string[]; files: { path: string; action: string; added: number }[] };
    expect(plan.notes.join('\n')).toMatch(/redis/);
    expect(plan.files).toContainEqual(expect.objectContaining({ path: 'app/components/worker/jobs.py', action: 'create' }));
    expect(plan.files.find((file) => file.path === 'pyproject.toml')).toMatchObject({ action: 'update' });
    const statAdd = aegis(['add', 'scheduler', '--dry-run', '--stat'], project);
    expect(statAdd.stdout).toMatch(/create +app\/entrypoints\/scheduler\.py +\| \+\d+ -0/);
    expect(statAdd.stdout).toMatch(/files would change, \+\d+ -\d+ lines\./);
    const refused = aegis(['add', 'worker', '--json'], project);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--json describes a plan: use it with --dry-run.');
    expect(readTree(project)).toEqual(before);
  });

  it('exits non-zero and lists every conflicted file when a user line meets a template change', () => {
    const project = newProject();
    const checks = join(project, 'app/services/system/checks.py');
    const mine = '    registry.register("frontend", check_frontend, timeout=2.0)\n';
    writeFileSync(checks, readFileSync(checks, 'utf8').replace('    registry.register("frontend", check_frontend)\n', mine));
    const result = aegis(['add', 'scheduler'], project);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('1 file has conflicts between your edits and the template:\n  app/services/system/checks.py');
    expect(result.stderr).toContain('The install step was skipped');
    expect(readFileSync(checks, 'utf8')).toContain(`<<<<<<< ours\n${mine}=======\n`);
  });

  it.each([
    [['add', 'scheduler'], 'not a generator-aegis project (no .yo-rc.json)', 'empty'],
    [['add', 'scheduler'], '.yo-rc.json: not valid JSON', 'corrupt'],
    [['add', 'shceduler'], 'Did you mean "scheduler"?', 'project'],
    [['add', 'scheduler[tape]'], 'Unknown option "tape" for component "scheduler"', 'project'],
    [['add', 'scheduler', '--persistence', 'tape'], 'Invalid --persistence "tape"', 'project'],
    [['remove', 'backend'], 'core component', 'project'],
    [['remove', 'scheduler[sqlite]'], 'Remove takes names only: "scheduler"', 'project'],
  ])('refuses %j with one line (%s) and changes nothing', (args, message, where) => {
    const folder = where === 'empty' ? tempDir('not-a-project') : newProject();
    if (where === 'corrupt') writeFileSync(join(folder, '.yo-rc.json'), '{"generator-aegis": {');
    mkdirSync(folder, { recursive: true });
    const before = readTree(folder);
    const { status, stderr } = aegis(args, folder);
    expect(status).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(readTree(folder)).toEqual(before);
  });

  it('brings redis along with the worker, says so, and takes it out with the worker', () => {
    const project = newProject();
    const before = readTree(project);
    const added = aegis(['add', 'worker', '--skip-install'], project);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stderr).toContain('Also adding redis: worker requires it.');
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).toMatch(/"arq==[^"]+",\n[\s\S]*"redis==/);
    const refused = aegis(['remove', 'redis'], project);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Cannot remove redis: worker requires it');
    const removed = aegis(['remove', 'worker', '--skip-install'], project);
    expect(removed.status, removed.stderr).toBe(0);
    expect(readTree(project)).toEqual(before);
  });

  it('keeps redis the user added by name when the worker goes', () => {
    const project = newProject();
    expect(aegis(['add', 'redis', '--skip-install'], project).status).toBe(0);
    const withRedis = readTree(project);
    expect(aegis(['add', 'worker', '--skip-install'], project).status).toBe(0);
    expect(aegis(['remove', 'worker', '--skip-install'], project).status).toBe(0);
    expect(readTree(project)).toEqual(withRedis);
  });

  it('init --components worker pulls redis in and says so', () => {
    const parent = tempDir('cli-worker');
    const result = aegis(['init', 'demo', '--yes', '--skip-install', '--components', 'worker'], parent);
    expect(result.status, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('Also adding redis: worker requires it.');
    const state = JSON.parse(readFileSync(join(parent, 'demo/.yo-rc.json'), 'utf8'))['generator-aegis'];
    expect(state.answers.components).toEqual(['worker']);
    expect(readFileSync(join(parent, 'demo/docker-compose.yml'), 'utf8')).toContain('  redis:\n');
  });

  it('says there is nothing to do when the scheduler is already there, and changes nothing', () => {
    const project = newProject();
    aegis(['add', 'scheduler', '--skip-install'], project);
    const before = readTree(project);
    const again = aegis(['add', 'scheduler', '--skip-install'], project);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('scheduler is already in this project.');
    expect(readTree(project)).toEqual(before);
  });
});
