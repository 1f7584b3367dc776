import type Generator from 'yeoman-generator';
import { type FeatureSpec, type OptionValues, isValidOptionValue } from '../model/feature-spec.js';
import type { OptionDefinition } from '../options/definitions.js';

/** Registers shared option definitions on a Yeoman generator (the bin registers the same ones on commander). */
export function registerOptions(generator: Generator, definitions: readonly OptionDefinition[]): void {
  for (const option of definitions) {
    generator.option(option.name, {
      type: option.type === 'boolean' ? Boolean : String,
      description: option.description,
      ...(option.alias ? { alias: option.alias } : {}),
    });
  }
}

/** Asks the feature's options that `given` leaves open (e.g. the scheduler's persistence); returns all of them. */
export async function askFeatureOptions(generator: Generator, feature: FeatureSpec, given: OptionValues = {}): Promise<OptionValues> {
  const values: Record<string, string> = { ...given };
  for (const option of feature.options) {
    if (values[option.name] !== undefined) continue;
    if (option.text) {
      const { text } = await generator.prompt<{ text: string }>([
        {
          type: 'input',
          name: 'text',
          message: `${feature.name}: ${option.description} (empty: none)`,
          default: option.default,
          validate: (input: string) => isValidOptionValue(option, input.trim()) || `Give ${option.text!.label}, e.g. ${option.text!.example}, or nothing.`,
        },
      ]);
      values[option.name] = text.trim();
      continue;
    }
    if (option.multiple) {
      const defaults = option.default.split(',');
      const { chosen } = await generator.prompt<{ chosen: string[] }>([
        {
          type: 'checkbox',
          name: 'chosen',
          message: `${feature.name}: ${option.description}`,
          choices: option.values.map((value) => ({ name: value, value, checked: defaults.includes(value) })),
          validate: (picked: readonly unknown[]) => picked.length > 0 || 'Pick at least one.',
        },
      ]);
      values[option.name] = option.values.filter((value) => chosen.includes(value)).join(',');
      continue;
    }
    const { value } = await generator.prompt<{ value: string }>([
      { type: 'select', name: 'value', message: `${feature.name}: ${option.description}`, choices: [...option.values], default: option.default },
    ]);
    values[option.name] = value;
  }
  return values;
}
