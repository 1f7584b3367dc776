import { spawnSync } from 'node:child_process';

/** The message of the commit init makes. */
export const INITIAL_COMMIT_MESSAGE = 'Initial commit from generator-aegis';

const COMMIT_BY_HAND = `git add -A && git commit -m "${INITIAL_COMMIT_MESSAGE}"`;

interface GitResult {
  readonly ok: boolean;
  readonly missing: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): GitResult {
  const result = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, stdout: '', stderr: result.error.message };
  }
  return { ok: result.status === 0, missing: false, stdout: result.stdout, stderr: result.stderr };
}

function firstLine(text: string): string {
  return text.trim().split('\n').find((line) => line.trim() !== '')?.trim() ?? 'no message';
}

/** Whether git has a configured author and committer: config or environment, never one git would guess. */
function hasIdentity(root: string, env: NodeJS.ProcessEnv): boolean {
  const configured = (key: string): boolean => git(root, ['config', '--get', key], env).stdout.trim() !== '';
  const name = configured('user.name') || (Boolean(env.GIT_AUTHOR_NAME) && Boolean(env.GIT_COMMITTER_NAME));
  const email =
    configured('user.email') || Boolean(env.EMAIL) || (Boolean(env.GIT_AUTHOR_EMAIL) && Boolean(env.GIT_COMMITTER_EMAIL));
  return name && email;
}

/**
 * init's git step: a new repository in `root` holding the generated project as its first commit. Nothing when `root`
 * already lies in a git work tree. It never fails init: without git, or without a configured identity (aegis never
 * sets or guesses one), it says what happened and the commands that finish the job. Returns the lines to report.
 */
export function createInitialCommit(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const inside = git(root, ['rev-parse', '--show-toplevel'], env);
  if (inside.missing) {
    return [`git was not found on PATH: no repository was created. Install git, then run: git init && ${COMMIT_BY_HAND}`];
  }
  if (inside.ok) return [`The project lies in the git work tree ${inside.stdout.trim()}: no repository of its own was created.`];
  const branch = git(root, ['config', '--get', 'init.defaultBranch'], env).stdout.trim();
  const created = git(root, ['init', '--quiet', ...(branch ? [] : ['--initial-branch=main'])], env);
  if (!created.ok) return [`"git init" failed (${firstLine(created.stderr)}): no repository was created.`];
  const staged = git(root, ['add', '--all'], env);
  if (!staged.ok) return [`A git repository was created, but "git add" failed (${firstLine(staged.stderr)}). Run: ${COMMIT_BY_HAND}`];
  if (!hasIdentity(root, env)) {
    return [
      'A git repository was created with the project staged, but not committed: git has no user.name and user.email.',
      `Set them (git config --global user.name "Your Name"; git config --global user.email you@example.com), then run: git commit -m "${INITIAL_COMMIT_MESSAGE}"`,
    ];
  }
  const committed = git(root, ['commit', '--quiet', '--no-verify', '-m', INITIAL_COMMIT_MESSAGE], env);
  if (!committed.ok) {
    return [`A git repository was created with the project staged, but "git commit" failed (${firstLine(committed.stderr)}). Fix that, then run: git commit -m "${INITIAL_COMMIT_MESSAGE}"`];
  }
  return [`Created a git repository with the project as its first commit ("${INITIAL_COMMIT_MESSAGE}").`];
}
