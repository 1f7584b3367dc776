import type { Command } from 'commander';
import { packageVersion } from '../../shared/package-info.js';
import { settingVariables } from '../../shared/engine/slots.js';
import { CORE_COMPONENTS, type FeatureSpec, OPTIONAL_COMPONENTS, SERVICES } from '../../shared/model/registry.js';
import { bold, dim } from '../style.js';

function describe(feature: FeatureSpec): string[] {
  const lines = [`  ${bold(feature.name.padEnd(12))} ${feature.description}`];
  const extras: string[] = [];
  const requires = feature.requires.map((requirement) => {
      const options = Object.values(requirement.options ?? {});
      const when = Object.entries(requirement.when ?? {}).map(([name, value]) => `${name}=${value}`);
    return `${requirement.name}${options.length ? `[${options.join(',')}]` : ''}${when.length ? ` with ${when.join(', ')}` : ''}`;
  });
  if (requires.length) extras.push(`requires: ${requires.join(', ')}`);
  for (const option of feature.options) {
    if (option.text) {
      extras.push(`${option.name}: ${option.text.label}, e.g. ${option.text.example} (default: none)`);
      continue;
    }
    const values = option.multiple ? `any of ${option.values.join(',')}` : option.values.join('|');
    extras.push(`${option.name}: ${values} (default ${option.default})`);
  }
  if (extras.length) lines.push(`  ${''.padEnd(12)} ${dim(extras.join('; '))}`);
  return lines;
}

function section(title: string, features: readonly FeatureSpec[], empty: string): string[] {
  return [bold(title), ...(features.length ? features.flatMap(describe) : [`  ${dim(empty)}`]), ''];
}

/** What scripts read from `--json`: the registry's declarative fields. */
function asJson(feature: FeatureSpec, kind: 'core' | 'optional' | 'service') {
  return {
    name: feature.name,
    kind,
    description: feature.description,
    requires: feature.requires.map((requirement) => ({ name: requirement.name, options: requirement.options ?? {}, when: requirement.when ?? {} })),
    options: feature.options.map((option) => ({
      name: option.name,
      description: option.description,
      values: option.values,
      default: option.default,
      multiple: option.multiple === true,
    })),
    // The compose slot's services (shared/model/slots/compose.ts): a name, or a name and the options it needs.
    composeServices: (feature.contributes?.compose?.services ?? []).map((service) => (service.when ? { name: service.name, when: service.when } : service.name)),
    // What its settings slot declares (shared/model/slots/settings.ts).
    envVars: settingVariables(feature),
    // The name of the check it contributes to the health slot (shared/model/slots/health.ts).
    healthCheck: feature.contributes?.health?.[0]?.name ?? null,
  };
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function registerCatalog(program: Command): void {
  program
    .command('components')
    .description('List the components a project can have')
    .option('--json', 'Print the list as JSON (name, kind, requires, options, env vars, …)')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        printJson([...CORE_COMPONENTS.map((f) => asJson(f, 'core')), ...OPTIONAL_COMPONENTS.map((f) => asJson(f, 'optional'))]);
        return;
      }
      const lines = [
        ...section('Core (always included)', CORE_COMPONENTS, ''),
        ...section('Optional (aegis init --components …, aegis add …)', OPTIONAL_COMPONENTS, `none yet in generator-aegis ${packageVersion}`),
      ];
      process.stdout.write(`${lines.join('\n')}`);
    });
  program
    .command('services')
    .description('List the services a project can have')
    .option('--json', 'Print the list as JSON (name, requires, options, env vars, …)')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        printJson(SERVICES.map((f) => asJson(f, 'service')));
        return;
      }
      const lines = section('Services (aegis init --services …, aegis add-service …)', SERVICES, `none yet in generator-aegis ${packageVersion}`);
      process.stdout.write(`${lines.join('\n')}`);
    });
}
