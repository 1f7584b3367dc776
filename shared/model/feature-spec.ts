import type { PinnedPackage, PythonPackageName } from './versions.js';
import type { Contributions } from './contributions.js';

/** Option values a feature was given, e.g. `{ persistence: 'sqlite' }`. */
export type OptionValues = Readonly<Record<string, string>>;

/** A choice a component or service offers, e.g. the scheduler's persistence. */
export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly values: readonly string[];
  /** For an option that takes several values (`ai[openai,anthropic]`): a comma list in the spec's order. */
  readonly default: string;
  readonly multiple?: boolean;
  /**
   * A free-form value (`ingress[domain=app.example.com]`) instead of one of `values` (then empty): what it must
   * match, and what to call it in messages. The default is the empty string: not set.
   */
  readonly text?: { readonly pattern: RegExp; readonly label: string; readonly example: string };
}

/** The parts of an option value: one, or for a `multiple` option each of the comma list. */
export function optionParts(option: OptionSpec, value: string): string[] {
  return option.multiple ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : [value];
}

/** Whether a value is allowed: one of the values, or for a `multiple` option a non-empty list of them. */
export function isValidOptionValue(option: OptionSpec, value: string): boolean {
  if (option.text) return value === '' || option.text.pattern.test(value);
  const parts = optionParts(option, value);
  return parts.length > 0 && parts.every((part) => option.values.includes(part));
}

/** A multiple option's parts deduplicated in the spec's order (`openai,anthropic` → `anthropic,openai`). */
export function normalizeOptionValue(option: OptionSpec, value: string): string {
  if (!option.multiple) return value;
  const parts = new Set(optionParts(option, value));
  return option.values.filter((candidate) => parts.has(candidate)).join(',');
}

/** Something a feature pulls in, possibly only for some of its option values, possibly with options of its own. */
export interface Requirement {
  readonly name: string;
  /** Options the required feature must have (a different explicit choice is refused as a conflict). */
  readonly options?: OptionValues;
  /** Only when the requiring feature's options match these. */
  readonly when?: OptionValues;
}

/**
 * A pinned Python package, possibly only for some option values (`{ name: 'sqlalchemy', when: { … } }`), possibly
 * with extras named by an option's values (`{ name: 'pydantic-ai-slim', extrasFrom: 'providers' }`).
 */
export type PythonDependency =
  | PythonPackageName
  | {
      readonly name: PythonPackageName;
      readonly when?: OptionValues;
      readonly extrasFrom?: string;
      /** One of the pin's `variants` in versions.ts instead of its version; it wins over the plain pin. */
      readonly pin?: string;
    };

/** What a feature's `prepare` hook knows of the project besides its own option values. */
export interface PreparedProject {
  readonly name: string;
}

/** A declarative description of what a component or service brings into a project. */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: 'core' | 'component' | 'service';
  readonly description: string;
  readonly requires: readonly Requirement[];
  readonly options: readonly OptionSpec[];
  readonly pythonDependencies: readonly PythonDependency[];
  /** The project's `dev` dependency group: test, lint and type-check tools. */
  readonly pythonDevDependencies: readonly PythonDependency[];
  /**
   * Pins of packages generator-aegis does not pin itself (`{ limits: { version: '5.1.0' } }`): a plugin's own
   * dependencies. Built-in features pin in versions.ts instead; a package pinned there keeps that pin.
   */
  readonly pythonPins?: Readonly<Record<string, PinnedPackage>>;
  /** What it brings into the shared files (health checks, routers, CLI groups, …): see ./contributions.ts. */
  readonly contributes?: Contributions;
  /** The command that runs its process locally, shown in the next steps (e.g. `make scheduler`). */
  readonly runCommand?: { readonly command: string; readonly description: string };
  /**
   * Values its own templates and fragments test, prepared from its option values so they never compute
   * (`database.postgres`, `ingress.tls`): the template context holds them under the feature's name while it is
   * selected.
   */
  readonly prepare?: (values: OptionValues, project: PreparedProject) => Readonly<Record<string, unknown>>;
  /** Checks option values against each other (e.g. a domain needs an email); returns the problem, if any. */
  readonly checkOptions?: (values: OptionValues) => string | undefined;
}

export function matches(values: OptionValues, condition: OptionValues | undefined): boolean {
  return Object.entries(condition ?? {}).every(([name, value]) => values[name] === value);
}

/** A package a feature needs for its option values, with the extras those values add. */
export interface ResolvedDependency {
  readonly name: PythonPackageName;
  readonly extras: readonly string[];
  readonly pin?: string;
}

/** The packages a dependency list resolves to for these option values. */
export function resolveDependencies(dependencies: readonly PythonDependency[], values: OptionValues): ResolvedDependency[] {
  return dependencies.flatMap((dependency) => {
    if (typeof dependency === 'string') return [{ name: dependency, extras: [] }];
    if (!matches(values, dependency.when)) return [];
    const extras = dependency.extrasFrom ? (values[dependency.extrasFrom] ?? '').split(',').filter(Boolean) : [];
    return [{ name: dependency.name, extras, ...(dependency.pin ? { pin: dependency.pin } : {}) }];
  });
}

/** The package names a dependency list resolves to for these option values. */
export function dependencyNames(dependencies: readonly PythonDependency[], values: OptionValues): PythonPackageName[] {
  return resolveDependencies(dependencies, values).map((dependency) => dependency.name);
}
