/**
 * The generated `.github/` files of every matrix stack, validated against their published JSON schemas (SchemaStore's
 * github-workflow and dependabot-2.0, and check-jsonschema's rule that every job has a timeout), vendored in
 * test/fixtures/json-schemas (see SOURCE.md there). Plus what the schemas cannot say: the workflow reads the
 * repository only, its service containers are those the stack's tests need, and the pre-commit hooks run the
 * project's own pinned tools through uv.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderedText } from '../../shared/engine/render.js';
import { resolveSelection } from '../../shared/model/feature-selection.js';
import { renderAnswers } from '../support/memory-project.js';
import { STACKS, stackAnswers } from '../support/stack-matrix.js';
import { SCHEMAS, valid, validators } from '../support/workflow-schemas.js';

interface Workflow {
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { services?: Record<string, unknown>; env?: Record<string, string>; steps: { uses?: string; run?: string }[] }>;
}

describe('the vendored schemas', () => {
  it('are the files SOURCE.md records', () => {
    const source = readFileSync(join(SCHEMAS, 'SOURCE.md'), 'utf8');
    for (const name of ['github-workflow.json', 'dependabot.json', 'github-workflows-require-timeout.json']) {
      const sha = createHash('sha256').update(readFileSync(join(SCHEMAS, name))).digest('hex');
      expect(source, name).toContain(`| \`${name}\` |`);
      expect(source, name).toContain(sha);
    }
  });
});

describe('the schemas', () => {
  it('refuse what GitHub refuses: a job without a timeout, an unknown permission value, an unknown ecosystem', () => {
    const workflow = yaml.load(renderedText(renderAnswers(stackAnswers(STACKS[0]!)), '.github/workflows/ci.yml')) as Workflow;
    const check = workflow.jobs.check as Record<string, unknown>;
    const { 'timeout-minutes': _timeout, ...untimed } = check;
    expect(valid(validators.timeout, { ...workflow, jobs: { check: untimed } })).not.toEqual([]);
    expect(valid(validators.workflow, { ...workflow, permissions: { contents: 'reed' } })).not.toEqual([]);
    expect(valid(validators.dependabot, { version: 2, updates: [{ 'package-ecosystem': 'poetry-ish', directory: '/', schedule: { interval: 'weekly' } }] })).not.toEqual([]);
  });
});

describe('the generated .github files', () => {
  for (const stack of STACKS) {
    it(`${stack.name}: the workflow and the Dependabot config are valid, services as the stack needs`, () => {
      const answers = stackAnswers(stack);
      const tree = renderAnswers(answers);
      const workflow = yaml.load(renderedText(tree, '.github/workflows/ci.yml')) as Workflow;
      expect(valid(validators.workflow, workflow)).toEqual([]);
      expect(valid(validators.timeout, workflow)).toEqual([]);
      expect(valid(validators.dependabot, yaml.load(renderedText(tree, '.github/dependabot.yml')))).toEqual([]);

      expect(workflow.permissions).toEqual({ contents: 'read' });
      const job = workflow.jobs.check!;
      const names = new Set(resolveSelection(answers, answers.options).features.map((feature) => feature.name));
      const postgres = answers.options.database?.engine === 'postgres';
      expect(Object.keys(job.services ?? {}).sort()).toEqual([...(names.has('redis') ? ['redis'] : []), ...(postgres ? ['postgres'] : [])].sort());
      if (names.has('redis')) expect(job.env?.REDIS_URL).toBe('redis://127.0.0.1:6379/0');
      if (postgres) expect(job.env?.TEST_POSTGRES_URL).toMatch(/^postgresql\+asyncpg:\/\/postgres:postgres@127\.0\.0\.1:5432\//);
      for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/@v\d+$/);
      expect(job.steps.map((step) => step.run ?? '').join('\n')).toContain('pytest --cov=app');
    });
  }

  it('pre-commit runs ruff, ruff format and mypy from the project\'s own environment', () => {
    const config = yaml.load(renderedText(renderAnswers(stackAnswers(STACKS[0]!)), '.pre-commit-config.yaml')) as {
      repos: { repo: string; hooks: { id: string; entry: string; language: string }[] }[];
    };
    expect(config.repos.map((repo) => repo.repo)).toEqual(['local']);
    const hooks = config.repos[0]!.hooks;
    expect(hooks.map((hook) => hook.id)).toEqual(['ruff-check', 'ruff-format', 'mypy']);
    for (const hook of hooks) {
      expect(hook.entry).toMatch(/^uv run (ruff|mypy) /);
      expect(hook.language).toBe('system');
    }
  });
});
