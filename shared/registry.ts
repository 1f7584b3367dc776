import { AegisError } from './errors.js';
import { closestName } from './closest-name.js';
import type { PythonPackageName } from './versions.js';

/** A choice a component or service offers, e.g. the scheduler's persistence. */
export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly values: readonly string[];
  readonly default: string;
}

/** A declarative description of what a component or service brings into a project. */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: 'core' | 'component' | 'service';
  readonly description: string;
  /** Components (and services) this one pulls in. */
  readonly requires: readonly string[];
  readonly options: readonly OptionSpec[];
  readonly pythonDependencies: readonly PythonPackageName[];
  /** The project's `dev` dependency group: test, lint and type-check tools. */
  readonly pythonDevDependencies: readonly PythonPackageName[];
  readonly composeServices: readonly string[];
  readonly envVars: readonly string[];
  /** Name of the check it registers into the project's health registry, shown as a dashboard card. */
  readonly healthCheck?: string;
  /** Generator folder whose templates/ this feature owns; core features live in the app generator. */
  readonly generator: string;
}

const backend: FeatureSpec = {
  name: 'backend',
  kind: 'core',
  description: 'FastAPI app with routers, /health and /health/detailed, OpenAPI docs',
  requires: [],
  options: [],
  pythonDependencies: ['fastapi', 'uvicorn', 'pydantic-settings', 'structlog', 'psutil', 'typer', 'httpx'],
  pythonDevDependencies: ['pytest', 'pytest-asyncio', 'ruff', 'mypy', 'types-psutil'],
  composeServices: ['webserver'],
  envVars: ['APP_ENV', 'DEBUG', 'LOG_LEVEL', 'LOG_FORMAT', 'HOST', 'PORT', 'DOCS_ENABLED', 'HEALTH_CHECK_TIMEOUT'],
  healthCheck: 'backend',
  generator: 'app',
};

const frontend: FeatureSpec = {
  name: 'frontend',
  kind: 'core',
  description: 'Flet dashboard at /dashboard with a live health card per component',
  requires: ['backend'],
  options: [],
  pythonDependencies: ['flet', 'flet-web'],
  pythonDevDependencies: [],
  composeServices: [],
  envVars: ['DASHBOARD_ENABLED', 'DASHBOARD_REFRESH_SECONDS'],
  healthCheck: 'frontend',
  generator: 'app',
};

/** Always part of a project; listed for `aegis components`, never selectable or removable. */
export const CORE_COMPONENTS: readonly FeatureSpec[] = [backend, frontend];
/** Components a project may add or remove, in the order they are rendered and listed. */
export const OPTIONAL_COMPONENTS: readonly FeatureSpec[] = [];
export const SERVICES: readonly FeatureSpec[] = [];

function unknownName(kind: 'component' | 'service', name: string, available: readonly FeatureSpec[]): AegisError {
  const names = available.map((feature) => feature.name);
  const flag = kind === 'component' ? '--components' : '--services';
  if (CORE_COMPONENTS.some((core) => core.name === name) && kind === 'component') {
    return new AegisError(`"${name}" is a core component and always included: drop it from ${flag}.`);
  }
  const suggestion = closestName(name, names);
  const list = names.length ? `Available: ${names.join(', ')}` : `No optional ${kind}s exist in this version yet`;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  return new AegisError(`Unknown ${kind} "${name}".${hint} ${list} (see "aegis ${kind}s").`);
}

/** Checks names against the registry and returns them in registry order, without duplicates. */
export function selectFeatures(kind: 'component' | 'service', names: readonly string[]): string[] {
  const available = kind === 'component' ? OPTIONAL_COMPONENTS : SERVICES;
  for (const name of names) {
    if (!available.some((feature) => feature.name === name)) throw unknownName(kind, name, available);
  }
  return available.filter((feature) => names.includes(feature.name)).map((feature) => feature.name);
}

/** "a, b,,c" or ["a", "b,c"] → ["a", "b", "c"]. */
export function parseNameList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((item: string) => item.split(','));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}
