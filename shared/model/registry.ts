import { join } from 'node:path';
import { AegisError } from '../errors.js';
import { componentsDir } from '../package-info.js';
import { closestName } from './closest-name.js';
import { backend } from '../../base/backend.js';
import { frontend } from '../../base/frontend.js';
import { BUILT_IN_FEATURES } from '../../components/index.js';
import type { FeatureSpec } from './feature-spec.js';
import { setPluginPins } from './versions.js';

export type { FeatureSpec, OptionSpec, OptionValues, Requirement } from './feature-spec.js';

export type FeatureKind = 'component' | 'service';

/** A feature a plugin package brings: its spec, and its folder in the plugin (the shape of `components/<name>/`). */
export interface PluginFeature {
  readonly spec: FeatureSpec;
  readonly folder: string;
  /** The plugin it comes from, as `name@version`. */
  readonly plugin: string;
}

/** Always part of a project; listed for `aegis components`, never selectable or removable. */
export const CORE_COMPONENTS: readonly FeatureSpec[] = [backend, frontend];
const BUILT_IN_COMPONENTS = BUILT_IN_FEATURES.filter((feature) => feature.kind === 'component');
const BUILT_IN_SERVICES = BUILT_IN_FEATURES.filter((feature) => feature.kind === 'service');
// The lists below are the built-ins followed by the active plugins' features: activatePluginFeatures rewrites them in
// place, so every module that imported them sees the project's plugins.
/** Components a project may add or remove, in the order they are rendered and listed. */
export const OPTIONAL_COMPONENTS: readonly FeatureSpec[] = [...BUILT_IN_COMPONENTS];
export const SERVICES: readonly FeatureSpec[] = [...BUILT_IN_SERVICES];
export const ALL_FEATURES: readonly FeatureSpec[] = [...CORE_COMPONENTS, ...OPTIONAL_COMPONENTS, ...SERVICES];

const pluginFolders = new Map<FeatureSpec, PluginFeature>();

/** Whether a name is a built-in feature's (core or optional): a plugin may not take it. */
export function isBuiltInName(name: string): boolean {
  return [...CORE_COMPONENTS, ...BUILT_IN_FEATURES].some((feature) => feature.name === name);
}

function replace(list: readonly FeatureSpec[], items: readonly FeatureSpec[]): void {
  (list as FeatureSpec[]).splice(0, list.length, ...items);
}

/** Makes these plugin features (and only these) part of the registry, after the built-ins. */
export function activatePluginFeatures(features: readonly PluginFeature[]): void {
  pluginFolders.clear();
  for (const feature of features) pluginFolders.set(feature.spec, feature);
  const specs = features.map((feature) => feature.spec);
  replace(OPTIONAL_COMPONENTS, [...BUILT_IN_COMPONENTS, ...specs.filter((spec) => spec.kind === 'component')]);
  replace(SERVICES, [...BUILT_IN_SERVICES, ...specs.filter((spec) => spec.kind === 'service')]);
  replace(ALL_FEATURES, [...CORE_COMPONENTS, ...OPTIONAL_COMPONENTS, ...SERVICES]);
  setPluginPins(specs.flatMap((spec) => Object.entries(spec.pythonPins ?? {})));
}

export function findFeature(name: string): FeatureSpec | undefined {
  return ALL_FEATURES.find((feature) => feature.name === name);
}

/**
 * A component's or service's own folder (`templates/`, `templates-with(out)-<feature>/`, `contrib/`), found by its
 * name (a plugin's feature: in the plugin's package); core components have none: the base templates hold their files.
 */
export function featureFolder(feature: FeatureSpec): string | undefined {
  if (feature.kind === 'core') return undefined;
  return pluginFolders.get(feature)?.folder ?? join(componentsDir, feature.name);
}
export function featuresOfKind(kind: FeatureKind): readonly FeatureSpec[] {
  return kind === 'component' ? OPTIONAL_COMPONENTS : SERVICES;
}

/**
 * The error for a name that is not a selectable feature of this kind (`any`: a component or a service), with the
 * closest valid name.
 */
export function unknownFeature(kind: FeatureKind | 'any', name: string): AegisError {
  const available = kind === 'any' ? [...OPTIONAL_COMPONENTS, ...SERVICES] : featuresOfKind(kind);
  const names = available.map((feature) => feature.name);
  const found = findFeature(name);
  if (found?.kind === 'core') {
    const fix = kind === 'any' ? 'every project has it' : `drop it from ${kind === 'component' ? '--components' : '--services'}`;
    return new AegisError(`"${name}" is a core component and always included: ${fix}.`);
  }
  if (found && kind !== 'any') {
    return new AegisError(`"${name}" is a ${found.kind}, not a ${kind}: use --${found.kind}s, or "aegis add ${name}".`);
  }
  const label = kind === 'any' ? 'component or service' : kind;
  const suggestion = closestName(name, names);
  const list = names.length ? `Available: ${names.join(', ')}` : `No optional ${label}s exist in this version yet`;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  const see = kind === 'any' ? '"aegis components" and "aegis services"' : `"aegis ${kind}s"`;
  return new AegisError(`Unknown ${label} "${name}".${hint} ${list} (see ${see}).`);
}
