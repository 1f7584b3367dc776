import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AegisError } from '../errors.js';
import { packageVersion } from '../package-info.js';
import { TOOL_VERSIONS } from '../model/versions.js';
import type { Output } from './steps.js';
import { DEPLOY_FILE, readTarget } from './target.js';

export const CI_WORKFLOW = '.github/workflows/ci.yml';
export const CD_WORKFLOW = '.github/workflows/deploy.yml';
/** The repository secrets the workflow reads. */
export const SECRET_KEY = 'AEGIS_DEPLOY_SSH_KEY';
export const SECRET_ENV = 'AEGIS_ENV_PRODUCTION';
/** actions/setup-node's major (pinned by major as the CI workflow's actions are) and the Node the runner uses. */
const SETUP_NODE = 'v6';
const RUNNER_NODE = '24';

/**
 * The `check` job of the project's CI workflow, as its text (two-space indented under `jobs:`, as aegis writes it
 * and as it stays after your edits to it), so the deploy runs exactly the checks CI runs.
 */
export function checkJob(ciText: string): string | undefined {
  const lines = ciText.replace(/\r\n/g, '\n').split('\n');
  const jobs = lines.indexOf('jobs:');
  if (jobs < 0) return undefined;
  const start = lines.findIndex((line, index) => index > jobs && line === '  check:');
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^ {0,2}\S/.test(lines[end]!)) end += 1;
  while (end > start + 1 && lines[end - 1]!.trim() === '') end -= 1;
  return lines.slice(start, end).join('\n');
}

export interface CdInput {
  readonly check: string;
  readonly branch: string;
  /** The pinned host key fingerprint (SHA256:…). */
  readonly hostKey: string;
  readonly server: string;
  readonly version: string;
}

/** The workflow: the project's checks, then `aegis deploy` over SSH with the key from the secrets and the pinned host key. */
export function cdWorkflow(input: CdInput): string {
  return `# Written by "aegis deploy-cd-setup": the project's checks (the check job of ci.yml), then a deploy to
# ${input.server} over SSH with aegis ${input.version}. The SSH key comes from the repository secret ${SECRET_KEY};
# the server's host key must be the one pinned in ${DEPLOY_FILE} (and named below), or nothing is deployed.
# Run "aegis deploy-cd-setup --force" to write it again (after deploy-init, or a new ci.yml).
name: Deploy

on:
  push:
    branches: [${input.branch}]
  workflow_dispatch:

permissions:
  contents: read

# One deploy at a time, and a running one is never cancelled.
concurrency:
  group: deploy
  cancel-in-progress: false

jobs:
${input.check}

  deploy:
    needs: check
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@${TOOL_VERSIONS.actionsCheckout}
        with:
          persist-credentials: false

      - uses: actions/setup-node@${SETUP_NODE}
        with:
          node-version: "${RUNNER_NODE}"

      - name: The deploy key from the repository secrets
        env:
          ${SECRET_KEY}: \${{ secrets.${SECRET_KEY} }}
        run: |
          if [ -z "$${SECRET_KEY}" ]; then
            echo "::error::The repository secret ${SECRET_KEY} is not set: aegis deploy-cd-setup says how to create it."
            exit 1
          fi
          umask 077
          printf '%s\\n' "$${SECRET_KEY}" > "$RUNNER_TEMP/aegis-deploy-key"

      - name: .env.production from the repository secrets (when set; else the server keeps its own)
        env:
          ${SECRET_ENV}: \${{ secrets.${SECRET_ENV} }}
        run: |
          if [ -n "$${SECRET_ENV}" ]; then
            umask 077
            printf '%s\\n' "$${SECRET_ENV}" > .env.production
          fi

      - name: Deploy over SSH (host key pinned)
        env:
          AEGIS_DEPLOY_KEY: \${{ runner.temp }}/aegis-deploy-key
          AEGIS_DEPLOY_HOST_KEY: "${input.hostKey}"
        run: npx --yes --package generator-aegis@${input.version} -- aegis deploy

      - name: Remove the key and the env file
        if: always()
        run: rm -f "$RUNNER_TEMP/aegis-deploy-key" .env.production
`;
}

function tracked(root: string, file: string): boolean {
  return spawnSync('git', ['ls-files', '--error-unmatch', file], { cwd: root, stdio: 'ignore' }).status === 0;
}

/**
 * `aegis deploy-cd-setup`: writes .github/workflows/deploy.yml for the recorded target and prints the secrets to
 * create. Local only: nothing on the server changes. An existing, different workflow is replaced only with `force`.
 */
export function deployCdSetup(root: string, options: { branch?: string; force?: boolean }, output: Output): string {
  const branch = options.branch ?? 'main';
  if (!/^[\w./-]+$/.test(branch) || branch.startsWith('-')) throw new AegisError(`--branch ${branch}: give a branch name (letters, digits, ".", "_", "-", "/").`);
  const target = readTarget(root);
  if (!target.hostKey) {
    throw new AegisError(`${DEPLOY_FILE} pins no host key: run "aegis deploy-init --host ${target.host}" first (it records the server's key), then deploy-cd-setup.`);
  }
  const ci = join(root, CI_WORKFLOW);
  if (!existsSync(ci)) throw new AegisError(`${CI_WORKFLOW} is missing: the deploy workflow runs its check job first. "aegis update" brings it back, or write one with a job named check.`);
  const check = checkJob(readFileSync(ci, 'utf8'));
  if (!check) throw new AegisError(`${CI_WORKFLOW} has no "check" job under "jobs:" (two-space indented): the deploy workflow runs that job first. Name your checks' job check.`);
  const text = cdWorkflow({ check, branch, hostKey: target.hostKey, server: `${target.user}@${target.host}:${target.port}`, version: packageVersion });
  const file = join(root, CD_WORKFLOW);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (before === text) {
    output.log(`${CD_WORKFLOW} is up to date.`);
  } else {
    if (before !== undefined && options.force !== true) {
      throw new AegisError(`${CD_WORKFLOW} exists and differs from what deploy-cd-setup writes: pass --force to replace it (your edits to it are lost), or move it away.`);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    output.log(`Wrote ${CD_WORKFLOW}: on each push to ${branch} (and by hand), the project's checks, then "aegis deploy" to ${target.user}@${target.host}:${target.port}.`);
  }
  output.log('');
  output.log('Create these repository secrets (Settings → Secrets and variables → Actions, or with the GitHub CLI):');
  output.log(`  ${SECRET_KEY}   a private key the server accepts for ${target.user}; best a key of its own for deploys:`);
  output.log(`      ssh-keygen -t ed25519 -N "" -C "${target.host} deploy" -f deploy_key`);
  output.log(`      add deploy_key.pub to ~${target.user}/.ssh/authorized_keys on ${target.host}, then:`);
  output.log(`      gh secret set ${SECRET_KEY} < deploy_key   (and delete deploy_key here)`);
  output.log(`  ${SECRET_ENV}   optional: the contents of .env.production (gh secret set ${SECRET_ENV} < .env.production);`);
  output.log('      without it the server keeps the shared/.env it has.');
  output.log(`The workflow refuses a server whose host key is not ${target.hostKey} (pinned in ${DEPLOY_FILE}).`);
  const untracked = [DEPLOY_FILE, CD_WORKFLOW].filter((name) => !tracked(root, name));
  if (untracked.length) output.log(`Commit ${untracked.join(' and ')}: the workflow reads the target from the repository.`);
  return text;
}
