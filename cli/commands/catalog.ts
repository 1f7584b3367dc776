import type { Command } from 'commander';
import { packageVersion } from '../../shared/package-info.js';
import { CORE_COMPONENTS, type FeatureSpec, OPTIONAL_COMPONENTS, SERVICES } from '../../shared/registry.js';
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
  for (const option of feature.options) extras.push(`${option.name}: ${option.values.join('|')} (default ${option.default})`);
  if (extras.length) lines.push(`  ${''.padEnd(12)} ${dim(extras.join('; '))}`);
  return lines;
}

function section(title: string, features: readonly FeatureSpec[], empty: string): string[] {
  return [bold(title), ...(features.length ? features.flatMap(describe) : [`  ${dim(empty)}`]), ''];
}

export function registerCatalog(program: Command): void {
  program
    .command('components')
    .description('List the components a project can have')
    .action(() => {
      const lines = [
        ...section('Core (always included)', CORE_COMPONENTS, ''),
        ...section('Optional (aegis init --components …, aegis add …)', OPTIONAL_COMPONENTS, `none yet in generator-aegis ${packageVersion}`),
      ];
      process.stdout.write(`${lines.join('\n')}`);
    });
  program
    .command('services')
    .description('List the services a project can have')
    .action(() => {
      const lines = section('Services (aegis init --services …, aegis add-service …)', SERVICES, `none yet in generator-aegis ${packageVersion}`);
      process.stdout.write(`${lines.join('\n')}`);
    });
}
