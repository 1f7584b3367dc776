import type { FeatureSpec } from '../model/feature-spec.js';
import type { OptionDefinition } from './definitions.js';

/** Options every command that changes an existing project takes. */
export const CHANGE_OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'project-path',
    type: 'string',
    alias: 'p',
    valueName: 'dir',
    description: 'The project to change (default: the current folder)',
  },
  {
    name: 'dry-run',
    type: 'boolean',
    description: 'Print what would be created, changed (with diffs), merged, conflicted or deleted; write nothing',
  },
  { name: 'stat', type: 'boolean', description: 'With --dry-run: per-file line counts instead of diffs' },
  { name: 'json', type: 'boolean', description: 'With --dry-run: the plan as JSON on stdout' },
  { name: 'skip-install', type: 'boolean', description: 'Do not run uv sync and the lint checks after the change' },
  { name: 'yes', type: 'boolean', alias: 'y', description: 'Ask nothing: take flags and defaults (headless)' },
];

/**
 * One flag per option name the features offer, e.g. `--persistence <memory|sqlite>` for the scheduler. Two features
 * with an option of the same name (`worker` and `storage` both have a `backend`) share the flag; its description
 * then gives each one's, named.
 */
export function featureOptionDefinitions(features: readonly FeatureSpec[]): OptionDefinition[] {
  const byName = new Map<string, { values: Set<string>; owners: string[]; descriptions: Map<string, string>; multiple: boolean }>();
  for (const feature of features) {
    for (const option of feature.options) {
      const entry = byName.get(option.name) ?? { values: new Set<string>(), owners: [], descriptions: new Map<string, string>(), multiple: option.multiple === true };
      option.values.forEach((value) => entry.values.add(value));
      entry.owners.push(option.text ? feature.name : `${feature.name} (default ${option.default})`);
      entry.descriptions.set(feature.name, option.description);
      byName.set(option.name, entry);
    }
  }
  return [...byName].map(([name, entry]) => {
    const descriptions = [...entry.descriptions];
    const description =
      new Set(entry.descriptions.values()).size === 1
        ? descriptions[0]![1]
        : descriptions.map(([feature, text]) => `${feature}: ${text}`).join('; ');
    return {
      name,
      type: 'string' as const,
      valueName: entry.values.size ? [...entry.values].join(entry.multiple ? ',' : '|') : name,
      description: `${description}${entry.multiple ? ' (one or several, comma-separated)' : ''}; for ${entry.owners.join(', ')}`,
    };
  });
}
