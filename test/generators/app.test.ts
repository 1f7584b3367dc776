import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import helpers, { type RunResult } from 'yeoman-test';
import { afterEach, describe, expect, it } from 'vitest';
import AppGenerator from '../../generators/app/index.js';
import { packageVersion } from '../../shared/package-info.js';
import { render } from '../../shared/engine/render.js';
import { normalizeAnswers } from '../../shared/model/answers.js';

const resolved = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));

function runApp(cwd?: string) {
  const settings = cwd ? { tmpdir: false, cwd, autoCleanup: false } : {};
  return helpers.run(AppGenerator as never, { resolved, namespace: 'aegis:app', ...settings });
}

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'aegis-app-'));
}

describe('aegis:app', () => {
  let result: RunResult | undefined;
  afterEach(() => {
    result?.cleanup();
    result = undefined;
    process.chdir(fileURLToPath(new URL('../..', import.meta.url)));
  });

  it('writes the rendered tree into <name>/ and records the answers in .yo-rc.json', async () => {
    result = await runApp().withArguments(['demo']).withOptions({ yes: true, skipInstall: true } as never);
    const project = join(result.cwd, 'demo');
    const expected = render(normalizeAnswers({ name: 'demo' }), { generatorVersion: packageVersion });
    for (const [path, contents] of expected) {
      expect(readFileSync(join(project, path), 'utf8'), path).toBe(contents);
    }
    const state = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'));
    expect(state).toEqual({
      'generator-aegis': {
        version: packageVersion,
        answers: {
          name: 'demo',
          description: 'demo: a FastAPI service with a Flet dashboard',
          pythonVersion: '3.13',
          components: [],
          services: [],
          options: {},
        },
      },
    });
  });

  it('takes every answer from flags, kebab-case as yo passes them', async () => {
    result = await runApp()
      .withArguments(['orders-api'])
      .withOptions({ yes: true, 'skip-install': true, 'python-version': '3.11', description: 'Orders "API"' } as never);
    const state = JSON.parse(readFileSync(join(result.cwd, 'orders-api', '.yo-rc.json'), 'utf8'));
    expect(state['generator-aegis'].answers).toMatchObject({ pythonVersion: '3.11', description: 'Orders "API"' });
  });

  it('asks for what the flags leave open', async () => {
    result = await runApp()
      .withOptions({ skipInstall: true } as never)
      .withAnswers({ name: 'asked', description: 'Asked for', pythonVersion: '3.12', components: ['scheduler'], services: [], value: 'sqlite' });
    const state = JSON.parse(readFileSync(join(result.cwd, 'asked', '.yo-rc.json'), 'utf8'));
    expect(state['generator-aegis'].answers).toMatchObject({
      name: 'asked',
      description: 'Asked for',
      pythonVersion: '3.12',
      components: ['scheduler'],
      options: { scheduler: { persistence: 'sqlite' } },
    });
    expect(result.askedQuestions.map((question) => question.name)).toEqual(['name', 'description', 'pythonVersion', 'components', 'services', 'value']);
  });

  it('puts the project under --output-dir', async () => {
    result = await runApp().withArguments(['demo']).withOptions({ yes: true, skipInstall: true, outputDir: 'nested/dir' } as never);
    expect(existsSync(join(result.cwd, 'nested', 'dir', 'demo', '.yo-rc.json'))).toBe(true);
  });

  it.each([
    [{ yes: true }, [], 'The project name is empty'],
    [{ yes: true }, ['json'], 'standard-library module "json"'],
    [{ yes: true, pythonVersion: '3.9' }, ['demo'], 'Unsupported Python version "3.9"'],
    [{ yes: true, components: 'shceduler' }, ['demo'], 'Unknown component "shceduler". Did you mean "scheduler"?'],
    [{ yes: true, components: 'scheduler[redis]' }, ['demo'], 'Unknown option "redis" for component "scheduler"'],
    [{ yes: true, services: 'payments' }, ['demo'], 'Unknown service "payments"'],
  ])('refuses bad input %j %j and writes nothing', async (options, args, message) => {
    const cwd = emptyDir();
    await expect(runApp(cwd).withArguments(args).withOptions({ skipInstall: true, ...options } as never).run()).rejects.toThrow(
      message,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a non-empty target folder unless --force, keeping the files there', async () => {
    const cwd = emptyDir();
    mkdirSync(join(cwd, 'demo'));
    writeFileSync(join(cwd, 'demo', 'notes.txt'), 'mine\n');
    // yeoman-test passes force: true by default.
    const refused = runApp(cwd).withArguments(['demo']).withOptions({ yes: true, skipInstall: true, force: false } as never);
    await expect(refused.run()).rejects.toThrow('already exists and is not empty');
    expect(readdirSync(join(cwd, 'demo'))).toEqual(['notes.txt']);

    await runApp(cwd).withArguments(['demo']).withOptions({ yes: true, skipInstall: true, force: true } as never);
    expect(readFileSync(join(cwd, 'demo', 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(cwd, 'demo', '.yo-rc.json'))).toBe(true);
  });
});
