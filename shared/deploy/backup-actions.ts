import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AegisError } from '../errors.js';
import { readState } from '../model/project-state.js';
import { type ConnectOptions, compose, projectSlug, readCurrent, runsMigrations, withSession } from './actions.js';
import {
  ARCHIVE_DATA_PY,
  BACKUP_ID,
  DRILL_DATA_PY,
  DRILL_POSTGRES_SH,
  type BackupManifest,
  type BackupPart,
  DEFAULT_KEEP_BACKUPS,
  SWAP_SH,
  UNPACK_SH,
  backupId,
  backupsToPrune,
  formatAge,
  formatBytes,
  parseManifest,
  totalBytes,
} from './backups.js';
import { type DeploySession, shellQuote } from './session.js';
import { type Output, Steps, stepFailure } from './steps.js';
import type { DeployTarget } from './target.js';

const q = shellQuote;
/** Where the app's data volume is mounted in the webserver container (Dockerfile, docker-compose.yml). */
const DATA_IN_CONTAINER = '/app/data';
const DATA_FILE = 'data.tar.gz';
const POSTGRES_FILE = 'postgres.dump';

function usesPostgres(root: string): boolean {
  const { answers } = readState(root);
  return answers.components.includes('database') && (answers.options.database as { engine?: string } | undefined)?.engine === 'postgres';
}

function localCommit(root: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

const backupsDir = (target: DeployTarget) => `${target.path}/backups`;

/** The number of steps `takeBackup` announces. */
const backupSteps = (postgres: boolean) => (postgres ? 5 : 4);

/** Takes one backup over an open session: data volume (and PostgreSQL dump), manifest, then the folder's final name. */
async function takeBackup(root: string, session: DeploySession, target: DeployTarget, steps: Steps, reason: string): Promise<BackupManifest> {
  const slug = projectSlug(root);
  const postgres = usesPostgres(root);
  const current = await readCurrent(session, target);
  if (!current) throw new AegisError('Nothing is deployed on the server yet, so there is nothing to back up: run "aegis deploy" first.');
  const id = backupId();
  const partial = `${backupsDir(target)}/${id}.partial`;
  // A .partial folder older than an hour is what an interrupted backup left (its connection cut): removed here.
  const leftovers = `find ${q(backupsDir(target))} -maxdepth 1 -name '*.partial' -mmin +60 -exec rm -rf {} +`;
  await steps.run(`Preparing backup ${id}`, `mkdir -p ${q(partial)} && test -w ${q(partial)} && ${leftovers}`);
  try {
    await steps.run(
      'Archiving the data volume (SQLite databases through the online backup API)',
      compose(target, slug, `exec -T webserver python -c ${q(ARCHIVE_DATA_PY)} ${DATA_IN_CONTAINER} > ${q(`${partial}/${DATA_FILE}`)}`),
    );
    if (postgres) {
      await steps.run(
        'Dumping PostgreSQL (pg_dump -Fc)',
        compose(target, slug, `exec -T postgres sh -c ${q('pg_dump -Fc -U "$POSTGRES_USER" "$POSTGRES_DB"')} > ${q(`${partial}/${POSTGRES_FILE}`)}`),
      );
    }
    const files = postgres ? [DATA_FILE, POSTGRES_FILE] : [DATA_FILE];
    const sizes = await steps.run('Writing the manifest', `cd ${q(partial)} && wc -c < ${DATA_FILE}${postgres ? ` && wc -c < ${POSTGRES_FILE}` : ''}`);
    const bytes = sizes.stdout.trim().split(/\s+/).map(Number);
    const parts: BackupPart[] = files.map((file, index) => ({ file, kind: file === DATA_FILE ? 'data-volume' : 'postgres-dump', bytes: bytes[index] ?? 0 }));
    const commit = localCommit(root);
    const manifest: BackupManifest = { id, createdAt: new Date().toISOString(), ...(commit ? { commit } : {}), release: current, reason, parts };
    const written = await session.ssh.execCommand(`cat > ${q(`${partial}/manifest.json`)}`, { stdin: `${JSON.stringify(manifest, null, 2)}\n` });
    if (written.code !== 0) throw stepFailure('Writing the manifest', 'cat > manifest.json', { code: written.code ?? 1, stdout: written.stdout, stderr: written.stderr });
    await steps.run(`Completing backup ${id}`, `mv -T ${q(partial)} ${q(`${backupsDir(target)}/${id}`)}`);
    return manifest;
  } catch (error) {
    // Over a connection that is gone this cannot run: the folder stays as <id>.partial, which is never listed,
    // restored or pruned as a backup; the next backup removes it once it is an hour old.
    await session.run(`rm -rf ${q(partial)}`).catch(() => undefined);
    throw error;
  }
}

/**
 * Before a deploy whose `docker compose up` runs migrations: a backup of the current data (when a release is
 * deployed), so a migration gone wrong can be undone with deploy-restore. A failed backup stops the deploy.
 */
export async function backupBeforeDeploy(root: string, session: DeploySession, target: DeployTarget, output: Output): Promise<void> {
  if (!runsMigrations(root) || !(await readCurrent(session, target))) return;
  output.log('This deploy runs migrations: backing up the server\'s data first ("aegis deploy --no-backup" skips it).');
  try {
    const manifest = await takeBackup(root, session, target, new Steps(session, backupSteps(usesPostgres(root)), output), 'before deploy');
    const old = backupsToPrune(await listNames(session, target), DEFAULT_KEEP_BACKUPS);
    if (old.length) await session.run(`cd ${q(backupsDir(target))} && rm -rf -- ${old.map(q).join(' ')}`, output.stream);
    output.log(`Backed up to ${backupsDir(target)}/${manifest.id}; now the deploy.`);
  } catch (error) {
    throw new AegisError(`${(error as Error).message} Nothing was deployed: fix that, or pass --no-backup to deploy without a backup.`);
  }
}

async function listNames(session: DeploySession, target: DeployTarget): Promise<string[]> {
  return (await session.run(`ls -1 ${q(backupsDir(target))} 2>/dev/null`)).stdout.trim().split('\n').filter(Boolean);
}

/** `aegis deploy-backup`: a backup of the server's data into backups/<id>, then the newest `keep` are kept. */
export async function deployBackup(root: string, options: ConnectOptions & { keep?: number; keepDays?: number; download?: string }, output: Output): Promise<BackupManifest> {
  const keep = options.keep ?? DEFAULT_KEEP_BACKUPS;
  const { keepDays } = options;
  const rule = `the newest ${keep} backups${keepDays !== undefined ? `, none older than ${keepDays} days (the newest always)` : ''}`;
  const { download } = options;
  if (download !== undefined && existsSync(download) && !statSync(download).isDirectory()) {
    throw new AegisError(`--download ${download}: that is a file; give a folder (created when missing) to copy the backup into.`);
  }
  return withSession(root, options, async (session, target) => {
    const steps = new Steps(session, backupSteps(usesPostgres(root)) + 1 + (download !== undefined ? 1 : 0), output);
    const manifest = await takeBackup(root, session, target, steps, 'manual');
    const old = backupsToPrune(await listNames(session, target), keep, keepDays !== undefined ? { keepDays } : {});
    steps.announce(old.length ? `Keeping ${rule}: removing ${old.join(', ')}` : `Keeping ${rule}: nothing to remove`);
    if (old.length) {
      const pruned = await steps.try(`cd ${q(backupsDir(target))} && rm -rf -- ${old.map(q).join(' ')}`);
      if (pruned.code !== 0) output.log('Could not remove old backups (see above); the backup itself succeeded.');
    }
    output.log(`Backed up to ${backupsDir(target)}/${manifest.id} (${formatBytes(totalBytes(manifest))}).`);
    if (download !== undefined) {
      const local = join(download, manifest.id);
      const partial = `${local}.partial`;
      steps.announce(`Downloading it to ${local}`);
      try {
        mkdirSync(partial, { recursive: true });
        for (const file of [...manifest.parts.map((part) => part.file), 'manifest.json']) {
          await session.ssh.getFile(join(partial, file), `${backupsDir(target)}/${manifest.id}/${file}`);
        }
        renameSync(partial, local);
      } catch (error) {
        rmSync(partial, { recursive: true, force: true });
        throw new AegisError(`Step "Downloading it to ${local}" failed: ${(error as Error).message}. The backup is on the server: run "aegis deploy-backup --download <dir>" again, or copy it with scp.`);
      }
      output.log(`Downloaded to ${local}.`);
    }
    return manifest;
  });
}

async function readManifests(session: DeploySession, target: DeployTarget): Promise<BackupManifest[]> {
  const names = (await listNames(session, target)).filter((name) => BACKUP_ID.test(name)).sort();
  const manifests: BackupManifest[] = [];
  for (const name of names) {
    const text = await session.run(`cat ${q(`${backupsDir(target)}/${name}/manifest.json`)}`);
    const manifest = text.code === 0 ? parseManifest(text.stdout) : undefined;
    if (manifest && manifest.id === name) manifests.push(manifest);
  }
  return manifests;
}

/** `aegis deploy-backups`: the backups on the server, oldest first, with sizes and ages. */
export async function deployBackups(root: string, options: ConnectOptions, output: Output): Promise<BackupManifest[]> {
  return withSession(root, options, async (session, target) => {
    const manifests = await readManifests(session, target);
    if (!manifests.length) {
      output.log(`No backups in ${backupsDir(target)}: "aegis deploy-backup" takes one.`);
      return manifests;
    }
    output.log(`Backups in ${backupsDir(target)}:`);
    for (const manifest of manifests) {
      const detail = [formatBytes(totalBytes(manifest)), formatAge(manifest.createdAt), manifest.parts.map((part) => part.kind).join(' + ')];
      if (manifest.release) detail.push(`release ${manifest.release}`);
      if (manifest.commit) detail.push(`commit ${manifest.commit.slice(0, 12)}`);
      if (manifest.reason !== 'manual') detail.push(manifest.reason);
      output.log(`  ${manifest.id}  ${detail.join(', ')}`);
    }
    return manifests;
  });
}

/**
 * `aegis deploy-restore <id>`: a safety backup of the current state, then the backup unpacked beside the data and
 * swapped in (PostgreSQL restored in one transaction); a failed step leaves the current data in place.
 */
export async function deployRestore(root: string, options: ConnectOptions & { id: string }, output: Output): Promise<string> {
  const slug = projectSlug(root);
  const postgres = usesPostgres(root);
  return withSession(root, options, async (session, target) => {
    const manifests = await readManifests(session, target);
    const wanted = manifests.find((manifest) => manifest.id === options.id);
    if (!wanted) {
      throw new AegisError(`No backup ${options.id} on the server; there are: ${manifests.map((m) => m.id).join(', ') || 'none ("aegis deploy-backup" takes one)'}.`);
    }
    const hasDump = wanted.parts.some((part) => part.kind === 'postgres-dump');
    const steps = new Steps(session, backupSteps(postgres) + 3 + (hasDump ? 1 : 0), output);
    const safety = await takeBackup(root, session, target, steps, `before restoring ${wanted.id}`);
    output.log(`Safety backup ${safety.id} taken: "aegis deploy-restore ${safety.id} --yes" goes back to the state before this restore.`);
    const from = `${backupsDir(target)}/${wanted.id}`;
    await steps.run('Unpacking the data volume beside the current data', compose(target, slug, `exec -T webserver sh -c ${q(UNPACK_SH)} sh ${DATA_IN_CONTAINER} < ${q(`${from}/${DATA_FILE}`)}`));
    try {
      if (hasDump) {
        await steps.run(
          'Restoring PostgreSQL (pg_restore --clean in one transaction)',
          compose(target, slug, `exec -T postgres sh -c ${q('pg_restore --clean --if-exists --single-transaction --no-owner -U "$POSTGRES_USER" -d "$POSTGRES_DB"')} < ${q(`${from}/${POSTGRES_FILE}`)}`),
        );
      }
      await steps.run('Swapping the restored data in', compose(target, slug, `exec -T webserver sh -c ${q(SWAP_SH)} sh ${DATA_IN_CONTAINER}`));
    } catch (error) {
      await session.run(compose(target, slug, `exec -T webserver sh -c ${q('rm -rf "$1/.aegis-restore"')} sh ${DATA_IN_CONTAINER}`)).catch(() => undefined);
      throw error;
    }
    await steps.run('Restarting: docker compose restart', compose(target, slug, 'restart'));
    output.log(`Restored ${wanted.id} (taken ${formatAge(wanted.createdAt)}); the state before is in backup ${safety.id}.`);
    return wanted.id;
  });
}

/**
 * `aegis deploy-restore --drill <id>`: proves a backup restores without touching anything live. The files are
 * checked against the manifest, the data volume is unpacked into a scratch folder in the webserver container and its
 * SQLite databases checked, and a PostgreSQL dump is restored into a scratch database beside the live one; the
 * scratch copies are removed whatever happens. No safety backup, no swap, no restart.
 */
export async function deployDrill(root: string, options: ConnectOptions & { id: string }, output: Output): Promise<string> {
  const slug = projectSlug(root);
  return withSession(root, options, async (session, target) => {
    const manifests = await readManifests(session, target);
    const wanted = manifests.find((manifest) => manifest.id === options.id);
    if (!wanted) {
      throw new AegisError(`No backup ${options.id} on the server; there are: ${manifests.map((m) => m.id).join(', ') || 'none ("aegis deploy-backup" takes one)'}.`);
    }
    if (!(await readCurrent(session, target))) throw new AegisError('Nothing is deployed on the server, so there is no container to run the drill in: run "aegis deploy" first.');
    const from = `${backupsDir(target)}/${wanted.id}`;
    const dump = wanted.parts.find((part) => part.kind === 'postgres-dump');
    const data = wanted.parts.find((part) => part.kind === 'data-volume');
    const steps = new Steps(session, 1 + (data ? 1 : 0) + (dump ? 1 : 0), output);
    const sizes = wanted.parts.map((part) => `[ "$(wc -c < ${q(part.file)})" = ${part.bytes} ] || { echo "${part.file}: not the ${part.bytes} bytes the manifest records" >&2; exit 1; }`);
    const gzip = data ? [`gzip -t ${q(data.file)}`] : [];
    await steps.run('Checking the backup\'s files against its manifest', `cd ${q(from)} && ${[...sizes, ...gzip].join(' && ')}`);
    if (data) {
      await steps.run(
        'Unpacking the data volume into a scratch folder and checking its SQLite databases',
        compose(target, slug, `exec -T webserver python -c ${q(DRILL_DATA_PY)} < ${q(`${from}/${data.file}`)}`),
      );
    }
    if (dump) {
      await steps.run('Restoring PostgreSQL into a scratch database and counting its rows', compose(target, slug, `exec -T postgres sh -c ${q(DRILL_POSTGRES_SH)} < ${q(`${from}/${dump.file}`)}`));
    }
    output.log(`Drill passed: backup ${wanted.id} (taken ${formatAge(wanted.createdAt)}) restores; the scratch copies are removed and nothing live was changed.`);
    return wanted.id;
  });
}
