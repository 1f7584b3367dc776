/** The pure side of server backups: ids, retention, manifests and how they are shown. */

/** A backup folder name: `20261207-053600-123` (UTC, sortable, as release ids). */
export const BACKUP_ID = /^\d{8}-\d{6}-\d{3}$/;

export const DEFAULT_KEEP_BACKUPS = 7;

export function backupId(now: Date = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/(\d{6})\.(\d{3})Z$/, '$1-$2');
}

/** When a backup was taken, from its id (UTC). */
export function backupTime(id: string): Date {
  const [, y, mo, d, h, mi, s, ms] = /^(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)-(\d{3})$/.exec(id)!.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!));
}

/**
 * The backups to remove, oldest first: those beyond the newest `keep`, and with `keepDays` those taken more than
 * that many days before `now`. The newest backup is never removed. Folders that are not backups (a `.partial` one)
 * are left alone.
 */
export function backupsToPrune(names: readonly string[], keep: number, age: { keepDays?: number; now?: Date } = {}): string[] {
  const ids = names.filter((name) => BACKUP_ID.test(name)).sort();
  const newest = ids.length - 1;
  const cutoff = age.keepDays === undefined ? undefined : (age.now ?? new Date()).getTime() - age.keepDays * 86_400_000;
  return ids.filter((id, index) => index < newest && (index < ids.length - keep || (cutoff !== undefined && backupTime(id).getTime() < cutoff)));
}

export interface BackupPart {
  /** The file in the backup folder. */
  readonly file: string;
  readonly kind: 'data-volume' | 'postgres-dump';
  readonly bytes: number;
}

export interface BackupManifest {
  readonly id: string;
  /** ISO time the backup was taken. */
  readonly createdAt: string;
  /** The local git commit when the backup was taken, when known. */
  readonly commit?: string;
  /** The release that was current on the server. */
  readonly release?: string;
  /** Why it was taken: "manual", or "before restoring <id>". */
  readonly reason: string;
  readonly parts: readonly BackupPart[];
}

/** A manifest.json as read back from the server; undefined when it is not one of ours. */
export function parseManifest(text: string): BackupManifest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const value = raw as Record<string, unknown>;
  if (typeof value.id !== 'string' || !BACKUP_ID.test(value.id)) return undefined;
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) return undefined;
  if (!Array.isArray(value.parts)) return undefined;
  const parts: BackupPart[] = [];
  for (const part of value.parts as unknown[]) {
    const p = part as Record<string, unknown> | null;
    if (!p || typeof p.file !== 'string' || (p.kind !== 'data-volume' && p.kind !== 'postgres-dump') || typeof p.bytes !== 'number') return undefined;
    parts.push({ file: p.file, kind: p.kind, bytes: p.bytes });
  }
  return {
    id: value.id,
    createdAt: value.createdAt,
    ...(typeof value.commit === 'string' ? { commit: value.commit } : {}),
    ...(typeof value.release === 'string' ? { release: value.release } : {}),
    reason: typeof value.reason === 'string' ? value.reason : 'manual',
    parts,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatAge(createdAt: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(createdAt)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export function totalBytes(manifest: BackupManifest): number {
  return manifest.parts.reduce((sum, part) => sum + part.bytes, 0);
}

/**
 * Run with the container's python on its data folder: writes a gzipped tar of it to stdout, each SQLite database
 * in it copied with the online backup API (a consistent copy while the app writes), its -wal/-shm/-journal left out.
 */
export const ARCHIVE_DATA_PY = `
import os, sqlite3, sys, tarfile, tempfile
root = sys.argv[1]
out = tarfile.open(fileobj=sys.stdout.buffer, mode="w|gz")
count = 0
def is_sqlite(path):
    with open(path, "rb") as handle:
        return handle.read(16) == b"SQLite format 3\\x00"
for folder, dirs, files in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith(".aegis-"))
    rel = os.path.relpath(folder, root)
    if rel != ".":
        out.add(folder, rel, recursive=False)
    for name in sorted(files):
        path = os.path.join(folder, name)
        arcname = os.path.normpath(os.path.join(rel, name))
        base = path.rsplit("-", 1)[0]
        if name.endswith(("-wal", "-shm", "-journal")) and os.path.isfile(base) and is_sqlite(base):
            continue
        if os.path.isfile(path) and is_sqlite(path):
            with tempfile.TemporaryDirectory() as scratch:
                copy = os.path.join(scratch, "copy.db")
                source, target = sqlite3.connect(path), sqlite3.connect(copy)
                with target:
                    source.backup(target)
                source.close()
                target.close()
                out.add(copy, arcname)
            count += 1
        else:
            out.add(path, arcname, recursive=False)
out.close()
print(f"{count} SQLite database(s) copied with the online backup API", file=sys.stderr)
`;

/** Run in the container with sh (\`$1\` the data folder, the archive on stdin): unpacks it beside the data, nothing else. */
export const UNPACK_SH =
  'cd "$1" && rm -rf .aegis-restore && mkdir .aegis-restore && if tar -xzf - -C .aegis-restore; then exit 0; else rm -rf .aegis-restore; exit 1; fi';

/**
 * Run in the container with sh (`$1` the data folder): moves the current data aside, the unpacked data in, and
 * back again if any move fails; the data set aside is removed only once the new one is in place.
 */
export const SWAP_SH = [
  'cd "$1" || exit 1',
  'rm -rf .aegis-previous && mkdir .aegis-previous || exit 1',
  'moveall() { for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do [ -e "$f" ] || [ -L "$f" ] || continue; case "${f##*/}" in .aegis-restore|.aegis-previous) continue ;; esac; mv "$f" "$2"/ || return 1; done; }',
  'if moveall . .aegis-previous && moveall .aegis-restore .; then rmdir .aegis-restore; rm -rf .aegis-previous; exit 0; fi',
  'echo "swap failed: putting the current data back" >&2',
  'for f in * .[!.]* ..?*; do [ -e "$f" ] || continue; case "$f" in .aegis-restore|.aegis-previous) ;; *) rm -rf "$f" ;; esac; done',
  'moveall .aegis-previous . ; rm -rf .aegis-restore; rmdir .aegis-previous; exit 1',
].join('\n');

/**
 * The drill's check of the data volume, run with the container's python (the archive on stdin): unpacks it into a
 * scratch folder of its own under the container's temporary folder, checks each SQLite database in it
 * (`PRAGMA integrity_check`, opened read-only, its tables and rows counted), and removes the folder whatever happens.
 */
export const DRILL_DATA_PY = `
import os, shutil, sqlite3, sys, tarfile, tempfile
scratch = tempfile.mkdtemp(prefix="aegis-drill-")
problems = []
try:
    with tarfile.open(fileobj=sys.stdin.buffer, mode="r|gz") as archive:
        try:
            archive.extractall(scratch, filter="data")
        except TypeError:
            archive.extractall(scratch)
    files = 0
    for folder, dirs, names in os.walk(scratch):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            files += 1
            with open(path, "rb") as handle:
                if handle.read(16) != b"SQLite format 3\\x00":
                    continue
            rel = os.path.relpath(path, scratch)
            try:
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
                    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
                    rows = sum(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables)
                finally:
                    connection.close()
            except sqlite3.Error as error:
                verdict = str(error)
            if verdict == "ok":
                print(f"SQLite {rel}: integrity ok, {len(tables)} tables, {rows} rows")
            else:
                problems.append(f"SQLite {rel}: {verdict}")
    print(f"data volume: {files} files unpacked into a scratch folder")
finally:
    shutil.rmtree(scratch, ignore_errors=True)
for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
`;

/**
 * The drill's check of a PostgreSQL dump, run with sh in the postgres container (the dump on stdin): restores it into
 * a scratch database beside the live one (`<POSTGRES_DB>_aegis_drill`, left over from an interrupted drill or not),
 * counts the tables and rows, and drops the scratch database whatever happens.
 */
export const DRILL_POSTGRES_SH = [
  'db="${POSTGRES_DB}_aegis_drill"',
  'drop() { dropdb -U "$POSTGRES_USER" --if-exists "$db"; }',
  'trap drop EXIT',
  "trap 'exit 129' HUP INT TERM",
  'drop && createdb -U "$POSTGRES_USER" "$db" || exit 1',
  'pg_restore --exit-on-error --no-owner -U "$POSTGRES_USER" -d "$db" || { echo "pg_restore into the scratch database $db failed" >&2; exit 1; }',
  'psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$db" -Atc "' +
    "SELECT 'PostgreSQL: ' || count(*) || ' tables, ' || coalesce(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint), 0) || ' rows restored into the scratch database $db (dropped after)' " +
    "FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')" +
    '" || exit 1',
].join('\n');
