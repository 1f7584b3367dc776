import { spawnSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { AegisError } from '../errors.js';
import { type ConnectOptions, readCurrent, withSession } from './actions.js';
import { isExcluded } from './release-files.js';
import { type DeploySession, shellQuote } from './session.js';
import type { Output } from './steps.js';
import type { DeployTarget } from './target.js';

const q = shellQuote;

/** The server's record of releases: one JSON object a line, appended by every deploy and rollback. */
export const HISTORY_FILE = 'history.jsonl';
/** Lines kept in the file (the oldest go first). */
export const HISTORY_KEEP = 1000;

export type Outcome = 'live' | 'rolled back' | 'failed';

export interface HistoryEntry {
  /** The release folder the deploy made, or the rollback made current. */
  readonly release: string;
  readonly action: 'deploy' | 'rollback';
  /** ISO times. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The local git commit the files came from, when the project is a git repository with one. */
  readonly commit?: string;
  /** The working tree had changes not in that commit (they were deployed too). */
  readonly uncommitted?: boolean;
  readonly deployer: string;
  readonly outcome: Outcome;
  /** Why it failed or was rolled back. */
  readonly detail?: string;
}

function git(root: string, args: string[]): string | undefined {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

/**
 * Where the files came from: the commit, and whether the working tree had changes in files a release carries
 * (the deploy target in .aegis/, local env files and data do not ship, so they do not count).
 */
export function localRevision(root: string): { commit?: string; uncommitted?: boolean } {
  const commit = git(root, ['rev-parse', 'HEAD']);
  if (!commit) return {};
  const changed = (git(root, ['status', '--porcelain', '--untracked-files=all']) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3).split(' -> ').pop()!.replace(/^"|"$/g, ''))
    .filter((path) => !isExcluded(path));
  return { commit, ...(changed.length ? { uncommitted: true } : {}) };
}

/**
 * Who deploys: AEGIS_DEPLOYER when set; in GitHub Actions the actor and the run; else the git identity of the
 * project; else the local user and host.
 */
export function deployer(root: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEGIS_DEPLOYER) return env.AEGIS_DEPLOYER;
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_ACTOR) {
    return `${env.GITHUB_ACTOR} (GitHub Actions${env.GITHUB_RUN_ID ? ` run ${env.GITHUB_RUN_ID}` : ''})`;
  }
  const name = git(root, ['config', 'user.name']);
  const email = git(root, ['config', 'user.email']);
  if (name) return email ? `${name} <${email}>` : name;
  return `${userInfo().username}@${hostname()}`;
}

/** The entries of a history file, oldest first; lines that are not entries (a torn last line) are skipped. */
export function parseHistory(text: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Partial<HistoryEntry>;
      if (typeof value.release === 'string' && typeof value.startedAt === 'string' && typeof value.outcome === 'string' && typeof value.deployer === 'string') {
        entries.push(value as HistoryEntry);
      }
    } catch {
      // not an entry
    }
  }
  return entries;
}

/** `2026-12-07 05:36 UTC`. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** One line of `aegis deploy-history`. */
export function formatEntry(entry: HistoryEntry, isCurrent: boolean): string {
  const seconds = Math.max(0, Math.round((Date.parse(entry.finishedAt) - Date.parse(entry.startedAt)) / 1000));
  const commit = entry.commit ? `${entry.commit.slice(0, 12)}${entry.uncommitted ? '+changes' : ''}` : 'no commit';
  const outcome = isCurrent ? `${entry.outcome} (current)` : entry.outcome;
  const detail = entry.detail ? `: ${entry.detail}` : '';
  return `${when(entry.startedAt)}  ${entry.action.padEnd(8)}  ${entry.release}  ${commit.padEnd(20)}  ${entry.deployer}  ${outcome}${detail} (${seconds} s)`;
}

/** Appends an entry on the server (and trims the file); a failure is reported, never thrown: it must not undo a deploy. */
export async function appendHistory(session: DeploySession, target: DeployTarget, entry: HistoryEntry, output: Output): Promise<void> {
  const file = `${target.path}/${HISTORY_FILE}`;
  const trim = `if [ "$(wc -l < ${q(file)})" -gt ${HISTORY_KEEP} ]; then tail -n ${HISTORY_KEEP} ${q(file)} > ${q(`${file}.tmp`)} && mv -f ${q(`${file}.tmp`)} ${q(file)}; fi`;
  try {
    // After a line cut short (a connection lost mid-write), the entry starts on a line of its own.
    const newline = `if [ -s ${q(file)} ] && [ -n "$(tail -c 1 ${q(file)})" ]; then echo >> ${q(file)}; fi`;
    const result = await session.ssh.execCommand(`${newline} && cat >> ${q(file)} && ${trim}`, { stdin: `${JSON.stringify(entry)}\n` });
    if (result.code !== 0) output.log(`Could not record this ${entry.action} in ${file} (${result.stderr.trim() || `exit ${result.code}`}).`);
  } catch (error) {
    output.log(`Could not record this ${entry.action} in ${file} (${(error as Error).message}).`);
  }
}

/** Records one deploy or rollback: `run` does it and says the release; its failure is recorded and rethrown. */
export async function recorded<T extends string>(
  root: string,
  session: DeploySession,
  target: DeployTarget,
  action: HistoryEntry['action'],
  output: Output,
  run: (note: { release?: string; outcome?: Outcome }) => Promise<T>,
): Promise<T> {
  const startedAt = new Date().toISOString();
  const base = { action, startedAt, ...localRevision(root), deployer: deployer(root) };
  const note: { release?: string; outcome?: Outcome } = {};
  try {
    const release = await run(note);
    await appendHistory(session, target, { release, ...base, finishedAt: new Date().toISOString(), outcome: 'live' }, output);
    return release;
  } catch (error) {
    const detail = (error instanceof AegisError ? error.message : String(error)).split('\n')[0]!;
    await appendHistory(session, target, { release: note.release ?? '-', ...base, finishedAt: new Date().toISOString(), outcome: note.outcome ?? 'failed', detail }, output);
    throw error;
  }
}

/** `aegis deploy-history`: the releases recorded on the server, newest first. */
export async function deployHistory(root: string, options: ConnectOptions & { limit?: number }, output: Output): Promise<HistoryEntry[]> {
  return withSession(root, options, async (session, target) => {
    const file = `${target.path}/${HISTORY_FILE}`;
    const read = await session.run(`if [ -f ${q(file)} ]; then cat ${q(file)}; fi`);
    if (read.code !== 0) throw new AegisError(`Could not read ${file} on the server: ${read.stderr.trim() || `exit ${read.code}`}.`);
    const entries = parseHistory(read.stdout).reverse().slice(0, options.limit ?? 20);
    if (!entries.length) {
      output.log(`No deploys recorded in ${file} yet: "aegis deploy" records each release there.`);
      return entries;
    }
    const current = await readCurrent(session, target);
    output.log(`Releases on ${target.host} (${file}), newest first:`);
    // The current release is the newest entry that made it live (an older deploy of it was replaced since).
    const live = entries.find((entry) => entry.outcome === 'live' && entry.release === current);
    for (const entry of entries) output.log(`  ${formatEntry(entry, entry === live)}`);
    return entries;
  });
}
