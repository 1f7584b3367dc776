/**
 * The shared templates' slots: what the selected features contribute (`FeatureSpec.contributes`), prepared into the
 * lists and blocks the base templates iterate, so that no shared template names a feature.
 *
 * Order, one rule for every list: entries sorted by their `order` (default 0, lower first), then by the registry
 * order of the contributing features (`ALL_FEATURES`: core components, optional components, services), then in the
 * order a feature declares them. Specs set `order` only where the generated files need it (the health router and
 * CLI group last, the database's lifespan first, …); kinds without an `order` field (pytest plugins and markers,
 * isort, deps, docker) are in registry order. A feature's compose contribution has one `order` for all of it (its
 * services, environment entries, `depends_on`, volumes and production overrides). Import blocks do not follow that
 * rule: they are sorted as ruff's isort sorts them (shared/python/python-imports.ts), the base file's own imports merged in.
 *
 * Settings (shared/model/slots/settings.ts) are one list of entries per feature, from which the config.py fields,
 * the .env.example lines and the README rows are prepared (see prepareSettings).
 *
 * Fragments (Makefile targets, Dockerfile lines, code, README sections, compose services, labels and production
 * overrides) are EJS
 * files in the feature's folder (`components/<name>/`) (e.g. `components/worker/contrib/Makefile.ejs`), rendered here with the same template context as the project files
 * (which holds each selected feature's prepared values under its name: `database.postgres`). Compose environment
 * values are EJS strings rendered with it too (`'<%= database.composeUrl %>'`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contributions } from '../model/contributions.js';
import type { FeatureSpec } from '../model/feature-spec.js';
import type { CliContribution } from '../model/slots/cli.js';
import type { ComposeContribution } from '../model/slots/compose.js';
import type { Conditional } from '../model/slots/condition.js';
import type { HealthContribution } from '../model/slots/health.js';
import type { LifespanContribution } from '../model/slots/lifespan.js';
import type { MypyContribution } from '../model/slots/mypy.js';
import type { Ordered } from '../model/slots/order.js';
import type { PythonImport } from '../model/slots/python-import.js';
import type { RouterContribution } from '../model/slots/routers.js';
import type { Computed, SettingEntry, SettingsInput, SettingsSection } from '../model/slots/settings.js';
import type { OptionValues } from '../model/feature-spec.js';
import { pythonAssignment } from '../python/python-literal.js';
import { pythonImportBlock } from '../python/python-imports.js';
import { ALL_FEATURES, featureFolder } from '../model/registry.js';
import { renderEjsTemplate } from './ejs-template.js';

/** What `slots.<kind>` holds in the templates. */
export interface Slots {
  /** `app/services/system/checks.py`. */
  readonly health: { readonly imports: string; readonly checks: readonly HealthContribution[] };
  /** `app/components/backend/api/routing.py`. */
  readonly routers: { readonly imports: string; readonly routers: readonly RouterContribution[] };
  /** `app/components/backend/api/deps.py`: rendered code fragments, each ending with a newline. */
  readonly deps: {
    readonly imports: string;
    readonly code: readonly string[];
    /** No feature defines `require_admin` / `is_admin_request`: the base file's own (settings only) are used. */
    readonly defaultAdminGuard: boolean;
  };
  /** `app/components/backend/lifespan.py`. */
  readonly lifespan: { readonly imports: string; readonly hooks: readonly LifespanContribution[] };
  /** `app/cli/main.py`. */
  readonly cli: { readonly imports: string; readonly groups: readonly CliContribution[] };
  /** `tests/conftest.py` plugins; `pyproject.toml` markers, as TOML strings (quotes included). */
  readonly pytest: { readonly plugins: readonly string[]; readonly markers: readonly string[] };
  /** `pyproject.toml` overrides: `modules` is a TOML array. */
  readonly mypy: { readonly overrides: readonly { readonly comment: string; readonly modules: string }[] };
  /** `pyproject.toml` isort: `knownThirdParty` is a TOML array, or the empty string when there is none. */
  readonly isort: { readonly knownThirdParty: string; readonly comments: readonly string[] };
  /** `Makefile`: rendered fragments, each ending with a newline. */
  readonly make: readonly string[];
  /** `Dockerfile` runtime fragments (rendered, each ending with a newline) and `.dockerignore` lines. */
  readonly docker: { readonly runtime: readonly string[]; readonly ignore: readonly string[] };
  /** `docker-compose.yml` and the ingress's `docker-compose.prod.yml`: fragments rendered, each ending with a newline. */
  readonly compose: {
    readonly services: readonly string[];
    readonly environment: readonly { readonly name: string; readonly value: string }[];
    readonly dependsOn: readonly { readonly service: string; readonly condition: string }[];
    readonly volumes: readonly string[];
    readonly labels: readonly string[];
    readonly production: readonly string[];
  };
  /** The settings (see prepareSettings). */
  readonly settings: SettingsSlot;
  /** `.github/workflows/ci.yml`: service container fragments (rendered, non-empty, each ending with a newline) and the job's variables. */
  readonly ci: {
    readonly services: readonly string[];
    readonly environment: readonly { readonly name: string; readonly value: string }[];
  };
  /** `AGENTS.md`: each feature's section, rendered (ending with a blank line). */
  readonly agents: { readonly sections: readonly string[] };
  /** The database's `app/models/__init__.py`: the model modules' sorted import block, its own `metadata` included. */
  readonly models: { readonly imports: string };
  /** `README.md`: lines without newlines, rendered sections (each ending with a blank line), inline text. */
  readonly readme: {
    readonly setup: readonly string[];
    readonly run: readonly string[];
    readonly commands: readonly string[];
    /** The end of a sentence (the empty string when no feature adds one), as are `docker` and `entrypoints`. */
    readonly privateDetails: string;
    /** The built-in checks, `` `name` (summary) `` joined with `, `. */
    readonly checks: string;
    readonly sections: readonly string[];
    /** The Tests section's paragraphs, rendered (each ending with a blank line); the section is left out without any. */
    readonly tests: readonly string[];
    readonly docker: string;
    readonly layout: readonly string[];
    readonly entrypoints: string;
    readonly rootLayout: readonly string[];
  };
}

/** A heading and the lines under it, each line without its newline. */
export interface SettingsBlock {
  readonly heading: string;
  readonly lines: readonly string[];
}

/** `slots.settings`: one list of setting entries, as `app/core/config.py`, `.env.example` and the README show them. */
export interface SettingsSlot {
  /** config.py's sorted import block. */
  readonly imports: string;
  /** config.py's module-level lines after the base type aliases. */
  readonly definitions: readonly string[];
  /** config.py's `Settings` fields, a section per block (lines indented, comments included). */
  readonly fields: readonly SettingsBlock[];
  /** Rendered lines of `_check_production_safety`, each fragment ending with a newline. */
  readonly validators: readonly string[];
  /** `.env.example`'s sections. */
  readonly dotenv: readonly SettingsBlock[];
  /** The README's configuration table rows (`| `NAME` | default | notes |`). */
  readonly readme: readonly string[];
  /** The `str` defaults by variable (`DATABASE_URL`), for a feature's own templates. */
  readonly defaults: Readonly<Record<string, string>>;
}

/** What prepareSettings needs besides the features: the project, and the option values of every feature present. */
export interface SettingsProject {
  readonly project: SettingsInput['project'];
  readonly options: Readonly<Record<string, OptionValues>>;
}

/** What the base files import themselves, merged into their prepared import blocks. */
const BASE_IMPORTS = {
  health: [
    { module: 'app.core.config', names: ['Settings'] },
    { module: 'app.services.system.health', names: ['HealthRegistry'] },
    { module: 'app.services.system.resources', names: ['check_system_resources'] },
  ],
  // The user's own registration modules (routes.py, hooks.py, commands.py), which no component changes.
  routers: [
    { module: 'fastapi', names: ['FastAPI'] },
    { module: 'app.components.backend.api', names: ['routes'] },
  ],
  deps: [
    { module: 'typing', names: ['Annotated'] },
    { module: 'fastapi', names: ['Depends', 'HTTPException', 'Request', 'status'] },
    { module: 'app.core.config', names: ['Settings'] },
    { module: 'app.services.system.health', names: ['HealthRegistry'] },
  ],
  lifespan: [
    { module: 'collections.abc', names: ['AsyncIterator'] },
    { module: 'contextlib', names: ['AsyncExitStack', 'asynccontextmanager'] },
    { module: 'fastapi', names: ['FastAPI'] },
    { module: 'app.core.config', names: ['Settings'] },
    { module: 'app.core.log', names: ['get_logger'] },
    { module: 'app.components.backend', names: ['hooks'] },
  ],
  cli: [
    { module: 'typer', names: [] },
    { module: 'app.cli', names: ['commands'] },
  ],
  settings: [
    { module: 'enum', names: ['StrEnum'] },
    { module: 'functools', names: ['lru_cache'] },
    { module: 'typing', names: ['Literal', 'Self'] },
    { module: 'pydantic', names: ['Field', 'model_validator'] },
    { module: 'pydantic_settings', names: ['BaseSettings', 'SettingsConfigDict'] },
  ],
  models: [{ module: 'app.models.base', names: ['metadata'] }],
} satisfies Record<string, readonly PythonImport[]>;

/** Renders a feature's fragment with the template context, and values of the slot's own (`locals`) if any. */
export type FragmentRenderer = (feature: FeatureSpec, fragment: string, locals?: object) => string;

/** A fragment read from the feature's folder and rendered with EJS as the project templates are. */
export function fragmentRenderer(context: object): FragmentRenderer {
  return (feature, fragment, locals) => {
    const folder = featureFolder(feature);
    if (folder === undefined) throw new Error(`${feature.name} is a core component: its contributions are data, not fragments`);
    const source = join(folder, fragment);
    return renderEjsTemplate(readFileSync(source, 'utf8'), { ...context, ...locals }, source);
  };
}

/** A string of a spec (a compose environment value) rendered with the template context. */
export function stringRenderer(context: object): (template: string) => string {
  return (template) => renderEjsTemplate(template, context, undefined);
}

const tomlString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const tomlArray = (values: readonly string[]): string => `[${values.map(tomlString).join(', ')}]`;

/** The selected features in registry order, whatever order they were given in. */
function inRegistryOrder(features: readonly FeatureSpec[]): FeatureSpec[] {
  const rank = new Map(ALL_FEATURES.map((feature, index) => [feature.name, index]));
  const known = features.filter((feature, index) => rank.has(feature.name) && features.findIndex((other) => other.name === feature.name) === index);
  return known.sort((a, b) => rank.get(a.name)! - rank.get(b.name)!);
}

/** One slot's entries across the features, each with its feature, in the module's order (see the top of this file). */
function collectFrom<T extends Ordered>(
  features: readonly FeatureSpec[],
  pick: (contributions: Contributions) => T | readonly T[] | undefined,
): { feature: FeatureSpec; entry: T }[] {
  const entries = features.flatMap((feature, rank) => {
    const picked = pick(feature.contributes ?? {});
    const list: readonly T[] = picked === undefined ? [] : Array.isArray(picked) ? picked : [picked as T];
    return list.map((entry, index) => ({ feature, entry, rank, index }));
  });
  entries.sort((a, b) => (a.entry.order ?? 0) - (b.entry.order ?? 0) || a.rank - b.rank || a.index - b.index);
  return entries.map(({ feature, entry }) => ({ feature, entry }));
}

function collect<T extends Ordered>(features: readonly FeatureSpec[], pick: (contributions: Contributions) => readonly T[] | undefined): T[] {
  return collectFrom(features, pick).map(({ entry }) => entry);
}

/** A slot that holds no ordered list: each feature's value, in registry order. */
function each<T>(features: readonly FeatureSpec[], pick: (contributions: Contributions) => T | undefined): { feature: FeatureSpec; value: T }[] {
  return features.flatMap((feature) => {
    const value = pick(feature.contributes ?? {});
    return value === undefined ? [] : [{ feature, value }];
  });
}

/** `from app.models import user as user` for `app.models.user` (a re-export, as mypy and ruff want it spelled). */
function modelImport(feature: FeatureSpec, module: string): PythonImport {
  const name = module.slice('app.models.'.length);
  if (!module.startsWith('app.models.') || !/^\w+$/.test(name)) throw new Error(`${feature.name}: "${module}" is not a module of the app.models package`);
  return { module: 'app.models', names: [`${name} as ${name}`] };
}

/** A feature's prepared values (its spec's `prepare`), for the entries that exist only `if` one of them is true. */
export type PreparedOf = (feature: FeatureSpec) => Readonly<Record<string, unknown>>;

/** Whether an entry that exists only `if` one of its feature's prepared booleans holds is kept. */
function holds(feature: FeatureSpec, item: { readonly if?: string }, preparedOf: PreparedOf, slot: string): boolean {
  if (item.if === undefined) return true;
  const values = preparedOf(feature);
  if (!(item.if in values)) throw new Error(`${feature.name}: the ${slot} entry's "if: ${item.if}" is none of its prepared values`);
  return Boolean(values[item.if]);
}

/** The CI slot: the service fragments that render something, and the variables whose `if` holds, in registry order. */
function prepareCi(features: readonly FeatureSpec[], renderFragment: FragmentRenderer, preparedOf: PreparedOf): Slots['ci'] {
  const ci = each(features, (c) => c.ci);
  return {
    services: ci.flatMap(({ feature, value }) => {
      const rendered = value.services === undefined ? '' : renderFragment(feature, value.services);
      return rendered.trim() === '' ? [] : [rendered];
    }),
    environment: ci.flatMap(({ feature, value }) =>
      (value.environment ?? []).filter((item) => holds(feature, item, preparedOf, 'ci')).map(({ name, value: text }) => ({ name, value: text })),
    ),
  };
}

/** The compose slot: the entries whose `if` holds, in the slot's order, fragments rendered. */
function prepareCompose(
  features: readonly FeatureSpec[],
  renderFragment: FragmentRenderer,
  renderString: (template: string) => string,
  preparedOf: PreparedOf,
): Slots['compose'] {
  const compose = collectFrom(features, (c) => c.compose);
  const kept = <T extends { readonly if?: string }>(pick: (entry: ComposeContribution) => readonly T[] | undefined) =>
    compose.flatMap(({ feature, entry }) => (pick(entry) ?? []).filter((item) => holds(feature, item, preparedOf, 'compose')));
  const fragments = (pick: (entry: ComposeContribution) => string | undefined, locals?: object) =>
    compose.flatMap(({ feature, entry }) => {
      const fragment = pick(entry);
      return fragment === undefined ? [] : [renderFragment(feature, fragment, locals)];
    });
  const adminPaths = compose.flatMap(({ entry }) => entry.adminPaths ?? []);
  return {
    services: fragments((entry) => entry.fragment),
    environment: kept((entry) => entry.environment).map((variable) => ({ name: variable.name, value: renderString(variable.value) })),
    dependsOn: kept((entry) => entry.dependsOn).map(({ service, condition }) => ({ service, condition })),
    volumes: kept((entry) => entry.volumes).map((volume) => volume.name),
    labels: fragments((entry) => entry.labels, { adminPaths }),
    production: fragments((entry) => entry.production),
  };
}

const computed = <T>(value: Computed<T>, input: SettingsInput): T =>
  typeof value === 'function' ? (value as (input: SettingsInput) => T)(input) : value;

const comments = (lines: readonly string[] | undefined, indent = ''): string[] =>
  (lines ?? []).map((line) => (line ? `${indent}# ${line}` : ''));

function fieldLines(entry: SettingEntry, input: SettingsInput): string[] {
  const field = entry.field!;
  const prefix = `    ${field.name}: ${field.type}`;
  const text = field.text === undefined ? undefined : computed(field.text, input);
  const code = text === undefined ? `${prefix} = ${computed(field.default ?? 'None', input)}` : pythonAssignment(prefix, text);
  return [...comments(field.above, '    '), `${code}${field.comment ? `  # ${field.comment}` : ''}`];
}

function dotenvLines(entries: readonly { entry: SettingEntry; input: SettingsInput }[]): string[] {
  const found = entries.flatMap(({ entry, input }, index) => {
    const dotenv = entry.dotenv === undefined ? undefined : computed(entry.dotenv, input);
    return dotenv ? [{ entry, dotenv, index }] : [];
  });
  found.sort((a, b) => (a.dotenv.order ?? 0) - (b.dotenv.order ?? 0) || a.index - b.index);
  return found.flatMap(({ entry, dotenv }) => [
    ...comments(dotenv.above),
    `${dotenv.commented ? '# ' : ''}${entry.env}=${dotenv.value}`,
    ...comments(dotenv.after),
  ]);
}

function readmeRows(entries: readonly { entry: SettingEntry; input: SettingsInput }[]): string[] {
  const rows: { names: string[]; defaults: string[]; notes: string }[] = [];
  for (const { entry, input } of entries) {
    const readme = entry.readme === undefined ? undefined : computed(entry.readme, input);
    if (!readme) continue;
    const defaults = readme.default === undefined ? [] : [readme.default];
    const last = rows.at(-1);
    if (readme.joinPrevious && last) {
      last.names.push(`\`${entry.env}\``);
      last.defaults.push(...defaults);
    } else {
      rows.push({ names: [`\`${entry.env}\``], defaults, notes: readme.notes ?? '' });
    }
  }
  return rows.map((row) => `| ${row.names.join(' / ')} | ${row.defaults.join(' / ')} |${row.notes ? ` ${row.notes} ` : ' '}|`);
}

/**
 * The environment variables a feature's settings declare, in its order: also those only some projects have
 * (`when`), e.g. ADMIN_API_ENABLED without auth, or an AI provider's key when it is installed.
 */
export function settingVariables(feature: FeatureSpec): string[] {
  return (feature.contributes?.settings?.sections ?? []).flatMap((section) => section.entries.map((entry) => entry.env));
}

/** What a feature's computed contributions are given (shared/model/slots/settings.ts). */
function inputs(features: readonly FeatureSpec[], settings: SettingsProject, defaultAdminGuard: boolean): (feature: FeatureSpec) => SettingsInput {
  const has = Object.fromEntries(ALL_FEATURES.map((feature) => [feature.name, features.includes(feature)]));
  return (feature) => ({ project: settings.project, options: settings.options[feature.name] ?? {}, has, defaultAdminGuard });
}

/**
 * The settings slot: every selected feature's setting entries (shared/model/slots/settings.ts), those whose
 * `when` holds, as config.py fields (sections in the module's order), `.env.example` lines (the same sections;
 * within one, by the line's `order`) and README rows (by the sections' `readmeOrder` where set; one row per entry
 * or per run of joined entries).
 */
function prepareSettings(
  features: readonly FeatureSpec[],
  renderFragment: FragmentRenderer,
  inputOf: (feature: FeatureSpec) => SettingsInput,
): SettingsSlot {
  type Prepared = { heading: SettingsSection['heading']; entries: { entry: SettingEntry; input: SettingsInput }[] };
  const sectionsOf = (ordered: { feature: FeatureSpec; entry: SettingsSection }[]): Prepared[] =>
    ordered.map(({ feature, entry: section }) => {
      const input = inputOf(feature);
      return { heading: section.heading, entries: section.entries.filter((entry) => entry.when?.(input) ?? true).map((entry) => ({ entry, input })) };
    });
  const sections = sectionsOf(collectFrom(features, (c) => c.settings?.sections));
  const inReadme = sectionsOf(
    collectFrom(features, (c) => c.settings?.sections.map((section) => ({ ...section, order: section.readmeOrder ?? section.order }))),
  );
  const contributions = each(features, (c) => c.settings);
  const entries = sections.flatMap((section) => section.entries);
  const heading = (section: Prepared, file: 'config' | 'dotenv'): string =>
    typeof section.heading === 'string' ? section.heading : section.heading[file];
  return {
    imports: pythonImportBlock([
      ...BASE_IMPORTS.settings,
      ...contributions.flatMap(({ value }) => value.imports ?? []),
      ...entries.flatMap(({ entry }) => entry.field?.imports ?? []),
    ]),
    definitions: contributions.flatMap(({ feature, value }) => computed(value.definitions ?? [], inputOf(feature))),
    // A section with nothing in a file (only variables docker compose reads, say) has no heading there either.
    fields: sections
      .map((section) => ({
        heading: heading(section, 'config'),
        lines: section.entries.filter(({ entry }) => entry.field).flatMap(({ entry, input }) => fieldLines(entry, input)),
      }))
      .filter((block) => block.lines.length > 0),
    validators: contributions.flatMap(({ feature, value }) => (value.validator ? [renderFragment(feature, value.validator)] : [])),
    dotenv: sections
      .map((section) => ({ heading: heading(section, 'dotenv'), lines: dotenvLines(section.entries) }))
      .filter((block) => block.lines.length > 0),
    readme: inReadme.flatMap((section) => readmeRows(section.entries)),
    defaults: Object.fromEntries(
      entries.flatMap(({ entry, input }) => (entry.field?.text === undefined ? [] : [[entry.env, computed(entry.field.text, input)]])),
    ),
  };
}

/**
 * prepareSlots(selected features, how to render a fragment, the project and options for settings, how to render a
 * spec's string, the features' prepared values) →
 * the values templates see as `slots.<kind>`. Pure but for the fragments `renderFragment` reads.
 */
export function prepareSlots(
  selectedFeatures: readonly FeatureSpec[],
  renderFragment: FragmentRenderer,
  settings: SettingsProject,
  renderString: (template: string) => string = (template) => template,
  preparedOf: PreparedOf = () => ({}),
): Slots {
  const features = inRegistryOrder(selectedFeatures);
  const deps = each(features, (c) => c.deps);
  const defaultAdminGuard = !deps.some(({ value }) => value.providesAdminGuard === true);
  const inputOf = inputs(features, settings, defaultAdminGuard);
  const holds = ({ feature, entry }: { feature: FeatureSpec; entry: Conditional }): boolean => entry.when?.(inputOf(feature)) ?? true;
  const health = collect(features, (c) => c.health);
  const routers = collectFrom(features, (c) => c.routers).filter(holds).map(({ entry }) => entry);
  const lifespan = collect(features, (c) => c.lifespan);
  const cli = collectFrom(features, (c) => c.cli).filter(holds).map(({ entry }) => entry);
  const isort = each(features, (c) => c.isort).map(({ value }) => value);
  const make = collectFrom(features, (c) => c.make).map(({ feature, entry }) => renderFragment(feature, entry.fragment));
  const adminPaths = collect(features, (c) => (c.compose ? [c.compose] : undefined)).flatMap((entry) => entry.adminPaths ?? []);
  const adminApi = adminPaths.map((path) => `\`${path}\``).join(', ');
  return {
    health: {
      imports: pythonImportBlock([...BASE_IMPORTS.health, ...health.map((check) => ({ module: check.module, names: [check.fn] }))]),
      checks: health,
    },
    routers: {
      imports: pythonImportBlock([...BASE_IMPORTS.routers, ...routers.map((r) => ({ module: r.module, names: [`router as ${r.alias}`] }))]),
      routers,
    },
    deps: {
      imports: pythonImportBlock([...BASE_IMPORTS.deps, ...deps.flatMap(({ value }) => value.imports)]),
      code: deps.map(({ feature, value }) => renderFragment(feature, value.code)),
      defaultAdminGuard,
    },
    lifespan: {
      imports: pythonImportBlock([...BASE_IMPORTS.lifespan, ...lifespan.map((hook) => ({ module: hook.module, names: [hook.fn] }))]),
      hooks: lifespan,
    },
    cli: {
      imports: pythonImportBlock([...BASE_IMPORTS.cli, ...cli.map((group) => ({ module: group.module, names: [`app as ${group.alias}`] }))]),
      groups: cli,
    },
    pytest: {
      plugins: each(features, (c) => c.pytest?.plugins).flatMap(({ value }) => value),
      markers: each(features, (c) => c.pytest?.markers).flatMap(({ value }) => value.map(tomlString)),
    },
    mypy: {
      overrides: collect<MypyContribution>(features, (c) => c.mypy).map((override) => ({
        comment: override.comment,
        modules: tomlArray(override.modules),
      })),
    },
    isort: {
      knownThirdParty: isort.length ? tomlArray(isort.flatMap((entry) => entry.knownThirdParty)) : '',
      comments: isort.map((entry) => entry.comment),
    },
    make,
    docker: {
      runtime: each(features, (c) => c.docker?.runtime).map(({ feature, value }) => renderFragment(feature, value)),
      ignore: each(features, (c) => c.docker?.ignore).flatMap(({ value }) => value),
    },
    compose: prepareCompose(features, renderFragment, renderString, preparedOf),
    settings: prepareSettings(features, renderFragment, inputOf),
    ci: prepareCi(features, renderFragment, preparedOf),
    agents: { sections: each(features, (c) => c.agents).map(({ feature, value }) => renderFragment(feature, value.fragment)) },
    models: {
      imports: pythonImportBlock([
        ...BASE_IMPORTS.models,
        ...each(features, (c) => c.models)
          .filter(({ feature, value }) => holds({ feature, entry: value }))
          .flatMap(({ feature, value }) => value.modules.map((module) => modelImport(feature, module))),
      ]),
    },
    readme: {
      setup: each(features, (c) => c.readme?.setup).flatMap(({ feature, value }) => computed(value, inputOf(feature))),
      run: each(features, (c) => c.readme?.run).flatMap(({ value }) => value),
      commands: collect(features, (c) => (c.readme?.commands ? [c.readme.commands] : undefined)).flatMap((entry) => entry.lines),
      privateDetails: each(features, (c) => c.readme?.privateDetails).map(({ value }) => value).join(''),
      checks: health.map((check) => `\`${check.name}\`${check.summary ? ` (${check.summary})` : ''}`).join(', '),
      // Each section ends with one blank line, however its fragment ends (one without would run into the next heading).
      sections: collectFrom(features, (c) => c.readme?.section).map(({ feature, entry }) =>
        renderFragment(feature, entry.fragment, { adminApi }).replace(/\n*$/, '\n\n'),
      ),
      tests: collectFrom(features, (c) => c.readme?.tests)
        .map(({ feature, entry }) => renderFragment(feature, entry.fragment))
        .filter((text) => text.trim() !== ''),
      docker: each(features, (c) => c.readme?.docker).map(({ value }) => value).join(''),
      layout: collect(features, (c) => (c.readme?.layout ? [c.readme.layout] : undefined)).flatMap((entry) => entry.lines),
      entrypoints: each(features, (c) => c.readme?.entrypoint).map(({ value }) => `, ${value}`).join(''),
      rootLayout: each(features, (c) => c.readme?.rootLayout).flatMap(({ value }) => value),
    },
  };
}
