import { join } from 'node:path';
import { AegisError } from '../errors.js';
import { componentsDir } from '../package-info.js';
import { closestName } from './closest-name.js';
import { backend } from '../../base/backend.js';
import { frontend } from '../../base/frontend.js';
import { BUILT_IN_FEATURES } from '../../components/index.js';
import type { FeatureSpec } from './feature-spec.js';

export type { FeatureSpec, OptionSpec, OptionValues, Requirement } from './feature-spec.js';

export type FeatureKind = 'component' | 'service';

/** Always part of a project; listed for `aegis components`, never selectable or removable. */
export const CORE_COMPONENTS: readonly FeatureSpec[] = [backend, frontend];
/** Components a project may add or remove, in the order they are rendered and listed. */
export const OPTIONAL_COMPONENTS: readonly FeatureSpec[] = BUILT_IN_FEATURES.filter((feature) => feature.kind === 'component');
export const SERVICES: readonly FeatureSpec[] = BUILT_IN_FEATURES.filter((feature) => feature.kind === 'service');
export const ALL_FEATURES: readonly FeatureSpec[] = [...CORE_COMPONENTS, ...OPTIONAL_COMPONENTS, ...SERVICES];

export function findFeature(name: string): FeatureSpec | undefined {
  return ALL_FEATURES.find((feature) => feature.name === name);
}

/**
 * A component's or service's own folder (`templates/`, `templates-with(out)-<feature>/`, `contrib/`), found by its
 * name; core components have none: the base templates hold their files.
 */
export function featureFolder(feature: FeatureSpec): string | undefined {
  return feature.kind === 'core' ? undefined : join(componentsDir, feature.name);
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
