import { closestName } from './closest-name.js';
import { AegisError } from '../errors.js';
import { isValidOptionValue, normalizeOptionValue } from './feature-spec.js';
import {
  type FeatureKind,
  type OptionValues,
  OPTIONAL_COMPONENTS,
  SERVICES,
  featuresOfKind,
  findFeature,
  unknownFeature,
} from './registry.js';

/** One entry of a feature list as typed: `scheduler`, `scheduler[sqlite]` or `scheduler[persistence=sqlite]`. */
export interface FeatureRequest {
  readonly name: string;
  /** Option values given in brackets, keyed by option name (bare values are matched to their option). */
  readonly options: OptionValues;
}

const ENTRY = /^([A-Za-z0-9_-]+)(?:\[([^[\]]*)\])?$/;

function conflictingOptions(name: string, option: string, first: string, second: string): AegisError {
  return new AegisError(`Conflicting options for ${name}: ${option} cannot be both "${first}" and "${second}"; pick one.`);
}

/** Splits on commas outside brackets: `a[x,y],b` → `a[x,y]`, `b`. */
function splitEntries(text: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '[') depth += 1;
    if (char === ']') depth -= 1;
    if (char === ',' && depth === 0) {
      entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function parseOptions(kind: FeatureKind, name: string, inside: string): OptionValues {
  const feature = featuresOfKind(kind).find((candidate) => candidate.name === name);
  if (!feature) throw unknownFeature(kind, name);
  const values: Record<string, string> = {};
  const describe = (): string =>
    feature.options.length
      ? feature.options.map((option) => `${option.name}: ${option.text ? `${option.name}=<${option.text.label}>` : option.values.join('|')}`).join('; ')
      : 'it has no options';
  for (const item of inside.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const [key, value] = item.includes('=') ? item.split('=', 2).map((part) => part.trim()) : [undefined, item];
    const option = key
      ? feature.options.find((candidate) => candidate.name === key)
      : feature.options.find((candidate) => candidate.values.includes(value!));
    if (option?.text) {
      if (!isValidOptionValue(option, value!)) {
        throw new AegisError(`Invalid ${option.name} "${value}" for ${name}: give ${option.text.label}, e.g. ${option.text.example}.`);
      }
      values[option.name] = value!;
      continue;
    }
    if (!option || !option.values.includes(value!)) {
      const suggestion = closestName(value!, feature.options.flatMap((candidate) => candidate.values));
      throw new AegisError(`Unknown option "${item}" for ${kind} "${name}" (${describe()}).${suggestion ? ` Did you mean "${suggestion}"?` : ''}`);
    }
    const previous = values[option.name];
    if (option.multiple) {
      values[option.name] = normalizeOptionValue(option, previous === undefined ? value! : `${previous},${value!}`);
      continue;
    }
    if (previous !== undefined && previous !== value) throw conflictingOptions(name, option.name, previous, value!);
    values[option.name] = value!;
  }
  return values;
}

/** Parses `--components "scheduler[sqlite],worker"`; repeated entries merge, conflicting options are refused. */
export function parseFeatureRequests(kind: FeatureKind, value: string | readonly string[] | undefined): FeatureRequest[] {
  if (value === undefined) return [];
  const texts = Array.isArray(value) ? value : [value as string];
  const merged = new Map<string, Record<string, string>>();
  for (const entry of texts.flatMap(splitEntries)) {
    const match = ENTRY.exec(entry);
    if (!match) {
      throw new AegisError(
        `Cannot read "${entry}" as a ${kind}: write a name, optionally with options in brackets, e.g. "scheduler[sqlite]".`,
      );
    }
    const name = match[1]!;
    const options = parseOptions(kind, name, match[2] ?? '');
    const existing = merged.get(name) ?? {};
    for (const [option, optionValue] of Object.entries(options)) {
      const previous = existing[option];
      const spec = findFeature(name)?.options.find((candidate) => candidate.name === option);
      if (spec?.multiple && previous !== undefined) {
        existing[option] = normalizeOptionValue(spec, `${previous},${optionValue}`);
        continue;
      }
      if (previous !== undefined && previous !== optionValue) throw conflictingOptions(name, option, previous, optionValue);
      existing[option] = optionValue;
    }
    merged.set(name, existing);
  }
  return [...merged].map(([name, options]) => ({ name, options }));
}

/** `scheduler[sqlite]` → the text that recreates a request (non-default options only). */
export function formatFeatureRequest(name: string, options: OptionValues, defaults: OptionValues = {}): string {
  const given = Object.entries(options).filter(([option, value]) => defaults[option] !== value);
  return given.length ? `${name}[${given.map(([, value]) => value).join(',')}]` : name;
}

/** The kind of an optional feature named on `aegis add`/`remove`, which take components and services alike. */
export function kindOf(name: string): FeatureKind {
  const feature = findFeature(name);
  if (feature?.kind === 'component' || feature?.kind === 'service') return feature.kind;
  throw unknownFeature('any', name);
}

/** Like parseFeatureRequests, for a list that mixes components and services. */
export function parseAnyFeatureRequests(value: string | readonly string[] | undefined): FeatureRequest[] {
  if (value === undefined) return [];
  const entries = (Array.isArray(value) ? value : [value as string]).flatMap(splitEntries);
  const byKind = { component: [] as string[], service: [] as string[] };
  for (const entry of entries) byKind[kindOf(ENTRY.exec(entry)?.[1] ?? entry)].push(entry);
  return [...parseFeatureRequests('component', byKind.component), ...parseFeatureRequests('service', byKind.service)];
}

/** Refuses a list with no name in it (`aegis add ''`, `aegis remove ' , '`): a change must name what it changes. */
export function requireSomeName(verb: 'add' | 'remove', entries: readonly string[]): void {
  if (entries.flatMap(splitEntries).length > 0) return;
  throw new AegisError(
    `Nothing to ${verb}: name at least one component or service, e.g. "aegis ${verb} scheduler" ("aegis components" and "aegis services" list them).`,
  );
}

/** Applies `--persistence sqlite`-style flags to the requests whose feature has that option. */
export function withOptionFlags(
  requests: readonly FeatureRequest[],
  flags: Readonly<Record<string, string | undefined>>,
): FeatureRequest[] {
  const result = requests.map((request) => ({ name: request.name, options: { ...request.options } }));
  for (const [option, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const targets = result.filter((request) => findFeature(request.name)?.options.some((spec) => spec.name === option));
    if (targets.length === 0) {
      const owners = [...OPTIONAL_COMPONENTS, ...SERVICES].filter((feature) => feature.options.some((spec) => spec.name === option));
      throw new AegisError(`--${option} applies to ${owners.map((feature) => feature.name).join(', ')}, which this command does not add.`);
    }
    for (const request of targets) {
      const spec = findFeature(request.name)!.options.find((candidate) => candidate.name === option)!;
      if (!isValidOptionValue(spec, value)) {
        if (spec.text) throw new AegisError(`Invalid --${option} "${value}" for ${request.name}: give ${spec.text.label}, e.g. ${spec.text.example}.`);
        const how = spec.multiple ? 'a comma list of' : 'one of';
        throw new AegisError(`Invalid --${option} "${value}" for ${request.name}: choose ${how} ${spec.values.join(', ')}.`);
      }
      const normalized = normalizeOptionValue(spec, value);
      const given = request.options[option];
      if (given !== undefined && given !== normalized) throw conflictingOptions(request.name, option, given, normalized);
      request.options[option] = normalized;
    }
  }
  return result;
}
