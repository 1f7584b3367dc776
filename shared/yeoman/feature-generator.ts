import { featureOptionDefinitions } from '../options/change.js';
import { type AnswersChange, ChangeGenerator } from './change-generator.js';
import { withOptionFlags } from '../model/feature-request.js';
import type { OptionDefinition } from '../options/definitions.js';
import { parseFeatureGeneratorOptions } from '../options/parse.js';
import { findFeature } from '../model/registry.js';

/** `yo aegis:<feature> [--remove] [--<option> value]`: the generator of one component or service. */
export function featureGenerator(name: string): new (args: string[], options: Record<string, unknown>) => ChangeGenerator {
  const feature = findFeature(name);
  if (!feature || feature.kind === 'core') throw new Error(`No optional feature "${name}" in the registry`);
  const definitions: OptionDefinition[] = [
    { name: 'remove', type: 'boolean', description: `Remove ${name}, keeping the files you changed` },
    ...featureOptionDefinitions([feature]),
  ];
  return class FeatureGenerator extends ChangeGenerator {
    constructor(args: string[], options: Record<string, unknown>) {
      super(args, options, definitions);
      this._prepare();
    }

    _change(): AnswersChange {
      const { remove, flags } = parseFeatureGeneratorOptions(this.options as Record<string, unknown>, definitions);
      if (remove) return { add: [], remove: [name] };
      return { add: withOptionFlags([{ name, options: {} }], flags), remove: [] };
    }
  };
}
