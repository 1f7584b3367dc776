import type { ProjectAnswers } from '../model/answers.js';
import { pythonTag } from '../model/python-versions.js';
import { resolveSelection } from '../model/feature-selection.js';
import { type FeatureSpec, type PreparedProject, type ResolvedDependency, resolveDependencies } from '../model/feature-spec.js';
import { ALL_FEATURES, type OptionValues } from '../model/registry.js';
import { pythonAssignment } from '../python/python-literal.js';
import { type Slots, fragmentRenderer, prepareSlots, stringRenderer } from './slots.js';
import { type PythonPackageName, TOOL_VERSIONS, requirement } from '../model/versions.js';

/**
 * What templates see: prepared values and booleans, so templates hold no logic beyond `if`. Besides these, each
 * selected feature with a `prepare` hook has its prepared values under its name (`database.postgres`, `ingress.tls`).
 */
export interface TemplateContext extends BaseContext {
  /** What the features contribute to the shared files, prepared (shared/engine/slots.ts): `slots.health`, `slots.make`, … */
  readonly slots: Slots;
  readonly [feature: string]: unknown;
}

/** The context without the slots and the features' prepared values. */
interface BaseContext {
  readonly project: {
    readonly name: string;
    readonly description: string;
    readonly pythonVersion: string;
    readonly pythonTag: string;
    /** Python 3.12+: generics with type parameters (`def f[T]()`), which ruff's pyupgrade asks for there. */
    readonly typeParameters: boolean;
  };
  /** `has.scheduler`, `has.auth`, …: one boolean per component and service. */
  readonly has: Readonly<Record<string, boolean>>;
  /** `options.scheduler.persistence`: option values of every feature present. */
  readonly options: Readonly<Record<string, OptionValues>>;
  readonly tools: typeof TOOL_VERSIONS;
  readonly requirement: typeof requirement;
  /** Sorted requirements (`name==version`) of the project and of its `dev` group. */
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** `("a", "b")` / `("a",)`: a Python tuple of strings as ruff formats a short one. */
  readonly pythonTuple: (values: readonly string[]) => string;
  /** `from module import a, b` as ruff's isort writes it: names in the order given, falsy ones left out, wrapped one per line when too long. */
  readonly pythonImport: (module: string, names: ReadonlyArray<string | false>) => string;
  /** A TOML basic string, quotes included. */
  readonly toml: (value: string) => string;
  /** `prefix = "value"` as ruff formats it, wrapped when too long. */
  readonly pythonField: typeof pythonAssignment;
}

function tomlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Each selected feature's `prepare` hook, under the feature's name. */
function preparedValues(
  features: readonly FeatureSpec[],
  valuesOf: (name: string) => OptionValues,
  project: PreparedProject,
): Record<string, Readonly<Record<string, unknown>>> {
  const prepared: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const feature of features) {
    if (!feature.prepare) continue;
    prepared[feature.name] = feature.prepare(valuesOf(feature.name), project);
  }
  return prepared;
}

/** One requirement per package: extras joined; a pin variant (versions.ts) wins over the plain pin, two disagree. */
function requirements(dependencies: Iterable<ResolvedDependency>): string[] {
  const extras = new Map<PythonPackageName, Set<string>>();
  const pins = new Map<PythonPackageName, string>();
  for (const dependency of dependencies) {
    const known = extras.get(dependency.name) ?? new Set<string>();
    dependency.extras.forEach((extra) => known.add(extra));
    extras.set(dependency.name, known);
    if (dependency.pin === undefined) continue;
    const other = pins.get(dependency.name);
    if (other !== undefined && other !== dependency.pin) {
      throw new Error(`${dependency.name}: two pin variants asked for, "${other}" and "${dependency.pin}"`);
    }
    pins.set(dependency.name, dependency.pin);
  }
  return [...extras.keys()].sort().map((name) => requirement(name, [...extras.get(name)!], pins.get(name)));
}

export function buildTemplateContext(answers: ProjectAnswers): TemplateContext {
  const resolved = resolveSelection(answers, answers.options);
  const selected = resolved.features;
  const has = Object.fromEntries(ALL_FEATURES.map((feature) => [feature.name, selected.includes(feature)]));
  const valuesOf = (name: string): OptionValues => resolved.options[name] ?? {};
  const prepared = preparedValues(selected, valuesOf, { name: answers.name });
  const context: BaseContext = {
    project: {
      name: answers.name,
      description: answers.description,
      pythonVersion: answers.pythonVersion,
      pythonTag: pythonTag(answers.pythonVersion),
      typeParameters: Number(answers.pythonVersion.split('.')[1]) >= 12,
    },
    has,
    options: resolved.options,
    tools: TOOL_VERSIONS,
    requirement,
    dependencies: requirements(selected.flatMap((f) => resolveDependencies(f.pythonDependencies, valuesOf(f.name)))),
    devDependencies: requirements(selected.flatMap((f) => resolveDependencies(f.pythonDevDependencies, valuesOf(f.name)))),
    pythonTuple: (values) => `(${values.map((value) => JSON.stringify(value)).join(', ')}${values.length === 1 ? ',' : ''})`,
    pythonImport: (module, names) => {
      const kept = names.filter((name): name is string => typeof name === 'string' && name !== '');
      const line = `from ${module} import ${kept.join(', ')}`;
      return line.length <= 88 ? line : `from ${module} import (\n${kept.map((name) => `    ${name},`).join('\n')}\n)`;
    },
    toml: tomlString,
    pythonField: pythonAssignment,
  };
  for (const name of Object.keys(prepared)) {
    if (name in context || name === 'slots') throw new Error(`The feature "${name}" has the name of a template context value`);
  }
  const withFeatures = { ...context, ...prepared };
  const settings = { project: { name: answers.name, description: answers.description }, options: resolved.options };
  return {
    ...withFeatures,
    slots: prepareSlots(selected, fragmentRenderer(withFeatures), settings, stringRenderer(withFeatures), (feature) => prepared[feature.name] ?? {}),
  };
}
