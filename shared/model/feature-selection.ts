import { AegisError } from '../errors.js';
import type { FeatureRequest } from './feature-request.js';
import { type FeatureSpec, matches } from './feature-spec.js';
import { type FeatureKind, type OptionValues, ALL_FEATURES } from './registry.js';

/** The features to resolve against: the registry, or a stand-in one in tests. */
export type Catalog = readonly FeatureSpec[];

/** What the user chose: optional features by name (what they require is implied), and options per feature. */
export interface Selection {
  /** Components the user asked for, in registry order. */
  readonly components: readonly string[];
  readonly services: readonly string[];
  /** Option values of every feature in the project that has options, defaults filled in. */
  readonly options: Readonly<Record<string, OptionValues>>;
}

export interface ResolvedSelection extends Selection {
  /** Core features and every selected or implied optional one, in registry order. */
  readonly features: readonly FeatureSpec[];
  /** Optional features present only because another one requires them. */
  readonly implied: readonly string[];
}

function inRegistryOrder(catalog: Catalog, kind: FeatureKind, names: Iterable<string>): string[] {
  const wanted = new Set(names);
  return catalog.filter((feature) => feature.kind === kind && wanted.has(feature.name)).map((feature) => feature.name);
}

function defaults(feature: FeatureSpec): Record<string, string> {
  return Object.fromEntries(feature.options.map((option) => [option.name, option.default]));
}

function spec(catalog: Catalog, name: string): FeatureSpec {
  const feature = catalog.find((candidate) => candidate.name === name);
  if (!feature) throw new AegisError(`Unknown component or service "${name}" (see "aegis components").`);
  return feature;
}


/**
 * Adds what the chosen features require (transitively, with the options they demand) and fills option defaults.
 * Two demands on one option, or a demand against an explicit choice, are refused naming both sides.
 */
export function resolveSelection(
  explicit: { readonly components: readonly string[]; readonly services: readonly string[] },
  chosen: Readonly<Record<string, OptionValues>> = {},
  catalog: Catalog = ALL_FEATURES,
): ResolvedSelection {
  const isCore = (name: string): boolean => catalog.some((feature) => feature.name === name && feature.kind === 'core');
  const selected = new Set([...explicit.components, ...explicit.services]);
  const values = new Map<string, Record<string, string>>();
  const demandedBy = new Map<string, string>();
  const valuesOf = (name: string): Record<string, string> => {
    let current = values.get(name);
    if (!current) {
      current = { ...(chosen[name] ?? {}) };
      values.set(name, current);
    }
    return current;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const name of [...selected]) {
      const feature = spec(catalog, name);
      const effective = { ...defaults(feature), ...valuesOf(name) };
      for (const requirement of feature.requires) {
        if (isCore(requirement.name) || !matches(effective, requirement.when)) continue;
        if (!selected.has(requirement.name)) {
          selected.add(requirement.name);
          changed = true;
        }
        const target = valuesOf(requirement.name);
        for (const [option, value] of Object.entries(requirement.options ?? {})) {
          const key = `${requirement.name}.${option}`;
          if (target[option] === undefined) {
            target[option] = value;
            demandedBy.set(key, name);
            changed = true;
          } else if (target[option] !== value) {
            const other = demandedBy.get(key);
            const source = other ? `${other} needs ${option}=${target[option]}` : `it is set to ${option}=${target[option]}`;
            // Against the project's own choice, say how to change it: name the required feature in the same command.
            const fix = other ? '' : ` To change it, name it in the same command: "${requirement.name}[${option}=${value}]".`;
            throw new AegisError(
              `Conflicting options: ${name} needs ${requirement.name}[${option}=${value}], but ${source}. ` +
                `A project has one ${requirement.name}: choose the same ${option} for both.${fix}`,
            );
          }
        }
      }
    }
  }
  const options: Record<string, OptionValues> = {};
  for (const feature of catalog) {
    if (selected.has(feature.name) && feature.options.length) {
      options[feature.name] = { ...defaults(feature), ...valuesOf(feature.name) };
      const problem = feature.checkOptions?.(options[feature.name]!);
      if (problem) throw new AegisError(`${feature.name}: ${problem}`);
    }
  }
  const components = inRegistryOrder(catalog, 'component', explicit.components);
  const services = inRegistryOrder(catalog, 'service', explicit.services);
  const named = new Set([...components, ...services]);
  return {
    components,
    services,
    options,
    features: catalog.filter((feature) => feature.kind === 'core' || selected.has(feature.name)),
    implied: catalog.filter((feature) => selected.has(feature.name) && !named.has(feature.name)).map((f) => f.name),
  };
}

export interface SelectionChange {
  readonly selection: ResolvedSelection;
  /** One line per thing the user should know: what came along, what was already there, what went with it. */
  readonly notes: readonly string[];
}

function present(selection: ResolvedSelection): Set<string> {
  return new Set(selection.features.filter((feature) => feature.kind !== 'core').map((feature) => feature.name));
}

function requirersOf(name: string, selection: ResolvedSelection): string[] {
  return selection.features
    .filter((feature) =>
      feature.requires.some(
        (requirement) =>
          requirement.name === name && matches(selection.options[feature.name] ?? {}, requirement.when),
      ),
    )
    .map((feature) => feature.name);
}

/** The selection after adding features (or changing their options); required features come along. */
export function addFeatures(
  current: Selection,
  requests: readonly FeatureRequest[],
  catalog: Catalog = ALL_FEATURES,
): SelectionChange {
  const before = resolveSelection(current, current.options, catalog);
  const explicit = new Set([...current.components, ...current.services]);
  const chosen: Record<string, OptionValues> = { ...current.options };
  const notes: string[] = [];
  for (const request of requests) {
    const feature = spec(catalog, request.name);
    if (feature.kind === 'core') throw new AegisError(`"${feature.name}" is a core component: every project has it.`);
    const had = before.options[feature.name] ?? {};
    const changes = Object.entries(request.options).filter(([option, value]) => had[option] !== value);
    if (present(before).has(feature.name)) {
      if (changes.length) {
        notes.push(`${feature.name}: ${changes.map(([option, value]) => `${option} ${had[option]} → ${value}`).join(', ')}`);
      } else if (explicit.has(feature.name)) {
        notes.push(`${feature.name} is already in this project.`);
      } else {
        notes.push(`${feature.name} was already here for ${requirersOf(feature.name, before).join(', ')}; it now stays on its own.`);
      }
    }
    explicit.add(feature.name);
    chosen[feature.name] = { ...(chosen[feature.name] ?? {}), ...request.options };
  }
  const selection = resolveSelection(
    {
      components: [...explicit].filter((name) => spec(catalog, name).kind === 'component'),
      services: [...explicit].filter((name) => spec(catalog, name).kind === 'service'),
    },
    chosen,
    catalog,
  );
  const had = present(before);
  for (const name of selection.implied) {
    if (!had.has(name)) notes.push(`Also adding ${name}: ${requirersOf(name, selection).join(', ')} requires it.`);
  }
  return { selection, notes };
}

/** The selection without these features; refused while another feature still requires one of them. */
export function removeFeatures(
  current: Selection,
  names: readonly string[],
  catalog: Catalog = ALL_FEATURES,
): SelectionChange {
  const before = resolveSelection(current, current.options, catalog);
  const notes: string[] = [];
  const removing = new Set<string>();
  for (const name of names) {
    const feature = spec(catalog, name);
    if (feature.kind === 'core') throw new AegisError(`"${name}" is a core component and cannot be removed.`);
    if (present(before).has(name)) removing.add(name);
    else notes.push(`${name} is not in this project; nothing to remove.`);
  }
  const keep = (list: readonly string[]): string[] => list.filter((name) => !removing.has(name));
  const explicit = { components: keep(current.components), services: keep(current.services) };
  const chosen = Object.fromEntries(Object.entries(current.options).filter(([name]) => !removing.has(name)));
  const selection = resolveSelection(explicit, chosen, catalog);
  const after = present(selection);
  for (const name of removing) {
    if (after.has(name)) {
      const requirers = requirersOf(name, selection).filter((requirer) => !removing.has(requirer));
      throw new AegisError(
        `Cannot remove ${name}: ${requirers.join(', ')} ${requirers.length === 1 ? 'requires' : 'require'} it. ` +
          `Remove ${requirers.join(', ')} first, or together: "aegis remove ${[...requirers, name].join(',')}".`,
      );
    }
  }
  for (const name of before.implied) {
    if (!after.has(name) && !removing.has(name)) notes.push(`Also removing ${name}: nothing else requires it now.`);
  }
  return { selection, notes };
}
