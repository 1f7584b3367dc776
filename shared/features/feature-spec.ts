import type { PythonPackageName } from '../versions.js';

/** Option values a feature was given, e.g. `{ persistence: 'sqlite' }`. */
export type OptionValues = Readonly<Record<string, string>>;

/** A choice a component or service offers, e.g. the scheduler's persistence. */
export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly values: readonly string[];
  readonly default: string;
}

/** Something a feature pulls in, possibly only for some of its option values, possibly with options of its own. */
export interface Requirement {
  readonly name: string;
  /** Options the required feature must have (a different explicit choice is refused as a conflict). */
  readonly options?: OptionValues;
  /** Only when the requiring feature's options match these. */
  readonly when?: OptionValues;
}

/** A pinned Python package, possibly only for some option values (`{ name: 'sqlalchemy', when: { … } }`). */
export type PythonDependency = PythonPackageName | { readonly name: PythonPackageName; readonly when: OptionValues };

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
  /** Compose services it adds, possibly only for some option values (`{ name: 'postgres', when: … }`). */
  readonly composeServices: readonly (string | { readonly name: string; readonly when: OptionValues })[];
  readonly envVars: readonly string[];
  /** Name of the check it registers into the project's health registry, shown as a dashboard card. */
  readonly healthCheck?: string;
  /** The command that runs its process locally, shown in the next steps (e.g. `make scheduler`). */
  readonly runCommand?: { readonly command: string; readonly description: string };
  /** Generator folder whose templates/ this feature owns; core features live in the app generator. */
  readonly generator: string;
}

export function matches(values: OptionValues, condition: OptionValues | undefined): boolean {
  return Object.entries(condition ?? {}).every(([name, value]) => values[name] === value);
}

/** The package names a dependency list resolves to for these option values. */
export function dependencyNames(dependencies: readonly PythonDependency[], values: OptionValues): PythonPackageName[] {
  return dependencies.flatMap((dependency) => {
    if (typeof dependency === 'string') return [dependency];
    return matches(values, dependency.when) ? [dependency.name] : [];
  });
}
