/**
 * The one list of stacks the tests render, derived from the registry and the templates:
 *
 * - `base`: no optional feature.
 * - alone: every optional feature with every value of each of its options (the others at their defaults; a
 *   multiple option one value at a time; a text option unset and set to its example, with the feature's other text
 *   options set too when `checkOptions` wants them together).
 * - pairs: every two features where one's templates depend on the other (see `dependentPairs`), both at their
 *   defaults, and once per variant of the other when the templates read `options.<other>`.
 * - everything on, one stack per database engine: with the default engine every other option at its default, with
 *   any other engine every other option at a non-default value (the last value, all of a multiple option, a text
 *   option's example).
 *
 * Stacks whose resolved answers are the same are listed once, under the first name (worker with redis is worker).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ProjectAnswers, normalizeAnswers } from '../../shared/model/answers.js';
import type { FeatureRequest } from '../../shared/model/feature-request.js';
import { resolveSelection } from '../../shared/model/feature-selection.js';
import type { FeatureSpec, OptionSpec, OptionValues } from '../../shared/model/feature-spec.js';
import { baseTemplatesDir } from '../../shared/package-info.js';
import { SUPPORTED_PYTHON_VERSIONS, type PythonVersion } from '../../shared/model/python-versions.js';
import { OPTIONAL_COMPONENTS, SERVICES, featureFolder } from '../../shared/model/registry.js';
import { parseTemplateFolder } from '../../shared/engine/template-folders.js';

export type StackKind = 'base' | 'alone' | 'pair' | 'everything';

export interface MatrixStack {
  /** Stable, `[a-z0-9-]`: a golden folder's name and the e2e project's. */
  readonly name: string;
  readonly kind: StackKind;
  /** What `aegis init` is given: `--components`, `--services` (empty when none) and `--python-version`. */
  readonly components: string;
  readonly services: string;
  readonly pythonVersion: PythonVersion;
  readonly requests: readonly FeatureRequest[];
}

/** Two features whose templates meet: `feature`'s templates depend on `other`. */
export interface DependentPair {
  readonly feature: string;
  readonly other: string;
  /**
   * How it was found: `has.<other>`, a `templates-with(out)-<other>` folder (`options.<other>` too when it names an
   * option value, `templates-with-worker[backend=arq]`), `requires`, `options.<other>`, or
   * `slots.<kind>.<field>` (a loop over fragments the other contributes, or a block prepared from what it contributes;
   * `prepared.<other>` when they read its values).
   */
  readonly evidence: readonly string[];
}

export const OPTIONAL_FEATURES: readonly FeatureSpec[] = [...OPTIONAL_COMPONENTS, ...SERVICES];
const OLDEST_PYTHON = SUPPORTED_PYTHON_VERSIONS[0];

function feature(name: string): FeatureSpec {
  const found = OPTIONAL_FEATURES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no optional feature ${name}`);
  return found;
}

function defaults(spec: FeatureSpec): Record<string, string> {
  return Object.fromEntries(spec.options.map((option) => [option.name, option.default]));
}

function textExample(option: OptionSpec): string {
  return option.text?.example ?? option.default;
}

function valuesOf(option: OptionSpec): string[] {
  return option.text ? ['', option.text.example] : [...option.values];
}

/** One feature with some option values; `suffix` names what differs from the defaults. */
export interface Variant {
  readonly feature: string;
  readonly options: OptionValues;
  readonly suffix: string;
}

function variantSuffix(spec: FeatureSpec, options: OptionValues): string {
  return spec.options
    .filter((option) => options[option.name] !== option.default)
    .map((option) => (option.text ? option.name : options[option.name]!.replace(/,/g, '-')))
    .join('-');
}

/** Every value of every option of a feature, one option at a time; the all-defaults variant first. */
export function variants(spec: FeatureSpec): Variant[] {
  const found = new Map<string, Variant>();
  const keep = (options: Record<string, string>): void => {
    let values = options;
    if (spec.checkOptions?.(values)) {
      values = { ...values };
      for (const option of spec.options) if (option.text) values[option.name] = textExample(option);
    }
    const key = JSON.stringify(values);
    if (!found.has(key)) found.set(key, { feature: spec.name, options: values, suffix: variantSuffix(spec, values) });
  };
  keep(defaults(spec));
  for (const option of spec.options) {
    for (const value of valuesOf(option)) keep({ ...defaults(spec), [option.name]: value });
  }
  return [...found.values()];
}

function templateRoots(spec: FeatureSpec): { readonly root: string; readonly folder: string }[] {
  const dir = featureFolder(spec)!;
  return readdirSync(dir)
    .filter((entry) => entry.startsWith('templates') || entry === 'contrib')
    .sort()
    .map((folder) => ({ root: join(dir, folder), folder }));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Features joined by `||` or `&&` in one condition of a shared (core) template: `has.redis || has.database`. */
const CONDITION_CHAIN = /has\.\w+(?:\s*(?:\|\||&&)\s*!?\s*has\.\w+)+/g;

/** A shared template's guard over a prepared slot: `if (slots.pytest.plugins.length) {`. */
const SLOT_GUARD = /if \(slots\.(\w+)(?:\.(\w+))?(?:\.length)?\) \{/g;

/**
 * The features that can open a slot guard on their own: those contributing to the slot, less those requiring
 * another contributor (with it, they never open it alone). What `if (has.redis || has.database || has.ai)` listed.
 */
function guardOpeners(kind: string, field: string | undefined): string[] {
  const contributes = (spec: FeatureSpec): boolean => {
    const slot = (spec.contributes as Record<string, unknown> | undefined)?.[kind];
    const value = field && slot && !Array.isArray(slot) ? (slot as Record<string, unknown>)[field] : slot;
    return Array.isArray(value) ? value.length > 0 : Boolean(value);
  };
  const contributors = OPTIONAL_FEATURES.filter(contributes);
  const names = new Set(contributors.map((spec) => spec.name));
  return contributors.filter((spec) => !spec.requires.some((requirement) => names.has(requirement.name))).map((spec) => spec.name);
}

/** A feature's own template iterating a slot's fragments: `for (const fragment of slots.compose.production) {`. */
const SLOT_LOOP = /for \(const \w+ of slots\.(\w+)\.(\w+)\) \{/g;

/**
 * The optional features contributing a fragment to `slots.<kind>.<field>` (`contributes.<kind>.<field>` a path),
 * and whether that fragment reads the feature's own prepared values (`database.postgres`): then it differs by
 * the feature's options.
 */
function slotFragments(kind: string, field: string): { readonly name: string; readonly readsOwnValues: boolean }[] {
  return OPTIONAL_FEATURES.flatMap((spec) => {
    const slot = (spec.contributes as Record<string, unknown> | undefined)?.[kind] as Record<string, unknown> | undefined;
    const fragment = slot?.[field];
    if (typeof fragment !== 'string') return [];
    const text = readFileSync(join(featureFolder(spec)!, fragment), 'utf8');
    return [{ name: spec.name, readsOwnValues: new RegExp(String.raw`\b${spec.name}\.\w+`).test(text) }];
  });
}

/** A feature's own template writing a block prepared from a slot: `<%- slots.models.imports %>`. */
const SLOT_BLOCK = /<%- slots\.(\w+)\.(\w+) %>/g;

/** The optional features contributing anything to `slots.<kind>` (`contributes.<kind>`). */
function slotContributors(kind: string): string[] {
  return OPTIONAL_FEATURES.filter((spec) => (spec.contributes as Record<string, unknown> | undefined)?.[kind] !== undefined).map((spec) => spec.name);
}

function corePairs(): Map<string, Set<string>> {
  const pairs = new Map<string, Set<string>>();
  for (const file of filesUnder(baseTemplatesDir)) {
    const text = readFileSync(file, 'utf8');
    const chains = (text.match(CONDITION_CHAIN) ?? []).map((chain) => ({
      chain,
      names: [...chain.matchAll(/has\.(\w+)/g)].map((match) => match[1]!),
    }));
    for (const guard of text.matchAll(SLOT_GUARD)) chains.push({ chain: guard[0], names: guardOpeners(guard[1]!, guard[2]) });
    for (const { chain, names: found } of chains) {
      const names = [...new Set(found)].sort();
      for (const [i, a] of names.entries()) {
        for (const b of names.slice(i + 1)) {
          const key = `${a} ${b}`;
          pairs.set(key, (pairs.get(key) ?? new Set()).add(`app/templates: ${chain}`));
        }
      }
    }
  }
  return pairs;
}

/**
 * Pairs (feature, other) where a feature's templates depend on another optional feature: its own templates (and
 * `contrib/` fragments) test `has.<other>` or read `options.<other>`, or iterate a slot's fragments the other
 * contributes (`for (const fragment of slots.compose.production)`: with every variant of the other when its fragment
 * reads its prepared values) or writes a block prepared from what the other contributes (`<%- slots.models.imports %>`),
 * it has a `templates-with-<other>`/
 * `templates-without-<other>` folder, or its spec `requires` the other. The core (app) templates add a pair where
 * one condition joins two features with `||`/`&&`, or guards a slot two features can each open alone
 * (`if (slots.pytest.plugins.length)`); a core template testing one feature at a time is covered by that
 * feature's stacks alone.
 */
export function dependentPairs(): DependentPair[] {
  const evidence = new Map<string, Set<string>>();
  const note = (a: string, b: string, why: string): void => {
    if (a === b || !OPTIONAL_FEATURES.some((f) => f.name === b)) return;
    const key = `${a} ${b}`;
    evidence.set(key, (evidence.get(key) ?? new Set()).add(why));
  };
  for (const spec of OPTIONAL_FEATURES) {
    for (const requirement of spec.requires) note(spec.name, requirement.name, 'requires');
    for (const { root, folder } of templateRoots(spec)) {
      const parsed = parseTemplateFolder(folder);
      if (parsed?.other) note(spec.name, parsed.other, folder);
      // `templates-with-worker[backend=arq]`: the files differ by the other's option, so every variant of it.
      if (parsed?.other && parsed.option) note(spec.name, parsed.other, `options.${parsed.other}`);
      for (const file of filesUnder(root)) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/\b(has|options)\.(\w+)/g)) note(spec.name, match[2]!, `${match[1]}.${match[2]}`);
        for (const match of text.matchAll(SLOT_BLOCK)) {
          for (const other of slotContributors(match[1]!)) note(spec.name, other, `slots.${match[1]}.${match[2]}`);
        }
        for (const match of text.matchAll(SLOT_LOOP)) {
          for (const other of slotFragments(match[1]!, match[2]!)) {
            note(spec.name, other.name, `slots.${match[1]}.${match[2]}`);
            if (other.readsOwnValues) note(spec.name, other.name, `prepared.${other.name}`);
          }
        }
      }
    }
  }
  for (const [key, why] of corePairs()) {
    const [a, b] = key.split(' ') as [string, string];
    if (!evidence.has(`${b} ${a}`)) for (const reason of why) note(a, b, reason);
  }
  return [...evidence]
    .map(([key, why]) => {
      const [a, b] = key.split(' ') as [string, string];
      return { feature: a, other: b, evidence: [...why].sort() };
    })
    .sort((x, y) => order(x.feature) - order(y.feature) || order(x.other) - order(y.other));
}

function order(name: string): number {
  return OPTIONAL_FEATURES.findIndex((spec) => spec.name === name);
}

function requestText(variant: Variant): string {
  const spec = feature(variant.feature);
  const given = spec.options
    .filter((option) => variant.options[option.name] !== option.default)
    .map((option) => (option.multiple ? variant.options[option.name]! : `${option.name}=${variant.options[option.name]}`));
  return given.length ? `${spec.name}[${given.join(',')}]` : spec.name;
}

function stack(name: string, kind: StackKind, chosen: readonly Variant[], pythonVersion: PythonVersion = OLDEST_PYTHON): MatrixStack {
  const sorted = [...chosen].sort((a, b) => order(a.feature) - order(b.feature));
  const ofKind = (kindName: 'component' | 'service'): string =>
    sorted.filter((variant) => feature(variant.feature).kind === kindName).map(requestText).join(',');
  return {
    name,
    kind,
    components: ofKind('component'),
    services: ofKind('service'),
    pythonVersion,
    requests: sorted.map((variant) => ({ name: variant.feature, options: variant.options })),
  };
}

function named(variant: Variant): string {
  return variant.suffix ? `${variant.feature}-${variant.suffix}` : variant.feature;
}

/** The variant of a feature with every option at a non-default value. */
function everyOptionSet(spec: FeatureSpec): Variant {
  const options: Record<string, string> = {};
  for (const option of spec.options) {
    options[option.name] = option.text ? textExample(option) : option.multiple ? option.values.join(',') : option.values.at(-1)!;
  }
  return { feature: spec.name, options, suffix: variantSuffix(spec, options) };
}

function everythingStacks(): MatrixStack[] {
  const database = feature('database');
  const engine = database.options.find((option) => option.name === 'engine')!;
  return engine.values.map((value, index) => {
    const withDefaults = value === engine.default;
    const chosen = OPTIONAL_FEATURES.map((spec): Variant => {
      if (spec === database) return { feature: spec.name, options: { ...defaults(spec), engine: value }, suffix: value };
      return withDefaults ? { feature: spec.name, options: defaults(spec), suffix: '' } : everyOptionSet(spec);
    });
    // The everything stacks also cover the newer Pythons: 3.12, then 3.13.
    const python = SUPPORTED_PYTHON_VERSIONS[Math.min(index + 1, SUPPORTED_PYTHON_VERSIONS.length - 1)]!;
    return stack(`everything-${value}`, 'everything', chosen, python);
  });
}

function pairStacks(): { readonly stacks: MatrixStack[]; readonly pairs: { readonly pair: DependentPair; readonly stack: string }[] } {
  const stacks: MatrixStack[] = [];
  const pairs: { pair: DependentPair; stack: string }[] = [];
  for (const pair of dependentPairs()) {
    const mine = variants(feature(pair.feature))[0]!;
    const varies = pair.evidence.includes(`options.${pair.other}`) || pair.evidence.includes(`prepared.${pair.other}`);
    const others = varies ? variants(feature(pair.other)) : [variants(feature(pair.other))[0]!];
    for (const other of others) {
      const name = `${pair.feature}-with-${named(other)}`;
      stacks.push(stack(name, 'pair', [mine, other]));
      pairs.push({ pair, stack: name });
    }
  }
  return { stacks, pairs };
}

function resolvedKey(stackItem: MatrixStack): string {
  const answers = stackAnswers(stackItem);
  const resolved = resolveSelection(answers, answers.options);
  return JSON.stringify([resolved.features.map((f) => f.name), resolved.options, answers.pythonVersion]);
}

/** The stacks without repeats, and each listed name → the name of the stack kept for it. */
function deduplicated(stacks: readonly MatrixStack[]): { readonly kept: MatrixStack[]; readonly keptName: Map<string, string> } {
  const byKey = new Map<string, MatrixStack>();
  const keptName = new Map<string, string>();
  for (const candidate of stacks) {
    const key = resolvedKey(candidate);
    if (!byKey.has(key)) byKey.set(key, candidate);
    keptName.set(candidate.name, byKey.get(key)!.name);
  }
  return { kept: [...byKey.values()], keptName };
}

/** The answers `aegis init <name>` records for a stack. */
export function stackAnswers(stackItem: MatrixStack, projectName = 'demo'): ProjectAnswers {
  return normalizeAnswers({
    name: projectName,
    pythonVersion: stackItem.pythonVersion,
    components: stackItem.components || undefined,
    services: stackItem.services || undefined,
  });
}

const alone = OPTIONAL_FEATURES.flatMap((spec) => variants(spec).map((variant) => stack(named(variant), 'alone', [variant])));
const paired = pairStacks();

const matrix = deduplicated([stack('base', 'base', []), ...alone, ...paired.stacks, ...everythingStacks()]);

export const STACKS: readonly MatrixStack[] = matrix.kept;

/** A dependent pair as rendered: both features' requests, and the matrix stack that renders them. */
export interface PairStack {
  readonly pair: DependentPair;
  /** The two features' requests, the pair's feature first. */
  readonly requests: readonly [FeatureRequest, FeatureRequest];
  /** The name of the matrix stack with the same resolved answers (auth with database is `auth`). */
  readonly stack: string;
}

export const PAIR_STACKS: readonly PairStack[] = paired.pairs.map(({ pair, stack: name }) => {
  const requests = paired.stacks.find((candidate) => candidate.name === name)!.requests;
  const mine = requests.find((request) => request.name === pair.feature)!;
  const other = requests.find((request) => request.name === pair.other)!;
  return { pair, requests: [mine, other], stack: matrix.keptName.get(name)! };
});

/** A stack's requests without a feature and whatever requires it, transitively (auth goes with the database). */
export function withoutFeature(requests: readonly FeatureRequest[], name: string): FeatureRequest[] {
  const gone = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const spec of OPTIONAL_FEATURES) {
      if (!gone.has(spec.name) && spec.requires.some((requirement) => gone.has(requirement.name))) {
        gone.add(spec.name);
        grew = true;
      }
    }
  }
  return requests.filter((request) => !gone.has(request.name));
}

export function findStack(name: string): MatrixStack {
  const found = STACKS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no stack ${name} in the matrix`);
  return found;
}
