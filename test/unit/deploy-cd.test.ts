/**
 * The workflow `aegis deploy-cd-setup` writes, for every matrix stack's CI workflow: valid against GitHub's workflow
 * schema and check-jsonschema's timeout rule (the vendored schemas the generated CI workflow is validated with), its
 * check job exactly the CI one, its deploy job after it with the pinned host key.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { cdWorkflow, checkJob } from '../../shared/deploy/cd-setup.js';
import { renderedText } from '../../shared/engine/render.js';
import { renderAnswers } from '../support/memory-project.js';
import { STACKS, stackAnswers } from '../support/stack-matrix.js';
import { workflowProblems } from '../support/workflow-schemas.js';

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, { needs?: string; steps: { uses?: string; run?: string; env?: Record<string, string> }[] }>;
}

const input = { branch: 'main', hostKey: 'SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', server: 'deploy@203.0.113.10:22', version: '0.6.0' };

describe('the deploy workflow', () => {
  for (const stack of STACKS) {
    it(`${stack.name}: valid, the CI check job as is, then the deploy with the pinned host key`, () => {
      const ci = renderedText(renderAnswers(stackAnswers(stack)), '.github/workflows/ci.yml');
      const check = checkJob(ci);
      expect(check).toBeDefined();
      const workflow = yaml.load(cdWorkflow({ ...input, check: check! })) as Workflow;
      expect(workflowProblems(workflow)).toEqual([]);
      expect(workflow.jobs.check).toEqual((yaml.load(ci) as Workflow).jobs.check);
      expect(Object.keys(workflow.jobs)).toEqual(['check', 'deploy']);
      expect(workflow.jobs.deploy!.needs).toBe('check');
      const deploy = workflow.jobs.deploy!.steps.find((step) => step.run?.endsWith('aegis deploy'))!;
      expect(deploy.env).toEqual({ AEGIS_DEPLOY_KEY: '${{ runner.temp }}/aegis-deploy-key', AEGIS_DEPLOY_HOST_KEY: input.hostKey });
      expect(deploy.run).toBe('npx --yes --package generator-aegis@0.6.0 -- aegis deploy');
      for (const step of workflow.jobs.deploy!.steps) if (step.uses) expect(step.uses).toMatch(/@v\d+$/);
    });
  }

  it('the schemas refuse a broken one (a job without its timeout, a needs of no job)', () => {
    const ci = renderedText(renderAnswers(stackAnswers(STACKS[0]!)), '.github/workflows/ci.yml');
    const text = cdWorkflow({ ...input, check: checkJob(ci)! });
    expect(workflowProblems(yaml.load(text.replace('    timeout-minutes: 30\n', '')))).not.toEqual([]);
    expect(workflowProblems(yaml.load(text.replace('on:\n  push:', 'on:\n  pusch:')))).not.toEqual([]);
  });

  it('finds the check job only under jobs:, up to the next job', () => {
    expect(checkJob('name: CI\njobs:\n  lint:\n    runs-on: x\n  check:\n    runs-on: y\n\n  other:\n    runs-on: z\n')).toBe('  check:\n    runs-on: y');
    expect(checkJob('name: CI\njobs:\n  tests:\n    runs-on: x\n')).toBeUndefined();
    expect(checkJob('check:\n  x: 1\n')).toBeUndefined();
  });
});
