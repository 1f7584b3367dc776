/**
 * Yeoman's `.yo-resolve`: a path it marks `skip` is left exactly as it is by add, remove and update (the planner on a
 * Map as the disk), and reported as skipped with the line that says so.
 */
import { describe, expect, it } from 'vitest';
import { addFeatures } from '../../shared/model/feature-selection.js';
import type { ProjectState } from '../../shared/model/project-state.js';
import { type ProjectDisk, planProjectChange } from '../../shared/engine/project-change.js';
import type { FileContents } from '../../shared/engine/reconcile.js';
import { yoResolve } from '../../shared/engine/yo-resolve.js';
import { TEST_VERSION, initProject } from '../support/memory-project.js';

const resolve = (files: Record<string, string>) => yoResolve((path) => files[path]);

describe('reading .yo-resolve', () => {
  it('takes `<glob> [status]` lines (also `glob=status`), skip by default, comments and blank lines ignored', () => {
    const status = resolve({ '.yo-resolve': '# ours\nMakefile\n\ndocker-compose.yml skip  # by hand\nREADME.md=force\napp/**/*.py skip\n' });
    expect(status('Makefile')).toEqual({ status: 'skip', source: '.yo-resolve:2' });
    expect(status('docker-compose.yml')).toEqual({ status: 'skip', source: '.yo-resolve:4' });
    expect(status('README.md')?.status).toBe('force');
    expect(status('app/core/config.py')?.status).toBe('skip');
    expect(status('pyproject.toml')).toBeUndefined();
    expect(status('tests/test_config.py')).toBeUndefined();
  });

  it('reads globs relative to their own folder; the nearest folder decides first; `!glob` matches what the glob does not', () => {
    const status = resolve({ '.yo-resolve': '**/*.py skip\n', 'app/core/.yo-resolve': '!config.py\n*.py force\n' });
    expect(status('app/main.py')).toEqual({ status: 'skip', source: '.yo-resolve:1' });
    expect(status('app/core/log.py')).toEqual({ status: 'skip', source: 'app/core/.yo-resolve:1' });
    expect(status('app/core/config.py')).toEqual({ status: 'force', source: 'app/core/.yo-resolve:2' });
  });

  it('matches dotfiles only by a glob that names the dot, as yo does', () => {
    const status = resolve({ '.yo-resolve': '* skip\n.env.example skip\n' });
    expect(status('Makefile')?.status).toBe('skip');
    expect(status('.gitignore')).toBeUndefined();
    expect(status('.env.example')?.status).toBe('skip');
  });
});

describe('the planner and .yo-resolve', () => {
  const project = initProject([]);
  const plan = (yoResolveText: string, add: string) => {
    const files = new Map<string, FileContents>(project.files);
    files.set('.yo-resolve', yoResolveText);
    const disk: ProjectDisk = { read: (path) => files.get(path), link: () => undefined };
    const after: ProjectState = {
      version: TEST_VERSION,
      answers: { ...project.state.answers, ...addFeatures(project.state.answers, [{ name: add, options: {} }]).selection },
    };
    return planProjectChange({ root: '/nowhere', before: project.state, after, disk });
  };

  it('leaves a skipped file as it is and says which line skipped it; every other file changes as before', () => {
    const without = plan('', 'worker');
    const skipped = plan('Makefile skip\n', 'worker');
    expect(without.find((change) => change.path === 'Makefile')?.action).toBe('update');
    expect(skipped.find((change) => change.path === 'Makefile')).toEqual({
      path: 'Makefile',
      action: 'skip',
      reason: ".yo-resolve:1 says skip: left as it is; apply the template's change yourself if you want it",
    });
    expect(skipped.filter((change) => change.path !== 'Makefile')).toEqual(without.filter((change) => change.path !== 'Makefile'));
  });

  it('creates no file a skip glob matches, and reports each', () => {
    const changes = plan('app/components/worker/** skip\n', 'worker');
    const worker = changes.filter((change) => change.path.startsWith('app/components/worker/'));
    expect(worker.length).toBeGreaterThan(0);
    expect(worker.every((change) => change.action === 'skip')).toBe(true);
  });

  it('treats any other status (force, ask) as no entry: the 3-way merge decides, so no line of the user is lost', () => {
    expect(plan('Makefile force\n', 'worker')).toEqual(plan('', 'worker'));
  });
});
