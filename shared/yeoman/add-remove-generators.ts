import { featureOptionDefinitions } from '../options/change.js';
import { type AnswersChange, ChangeGenerator } from './change-generator.js';
import { kindOf, parseAnyFeatureRequests, requireSomeName, withOptionFlags } from '../model/feature-request.js';
import { AegisError } from '../errors.js';
import { parseOptionFlags } from '../options/parse.js';
import { OPTIONAL_COMPONENTS, SERVICES } from '../model/registry.js';

const OPTION_FLAGS = featureOptionDefinitions([...OPTIONAL_COMPONENTS, ...SERVICES]);

function namesArgument(generator: ChangeGenerator, verb: string): void {
  generator.argument('names', {
    type: Array,
    required: true,
    description: `Components or services to ${verb}, e.g. scheduler or "scheduler[sqlite]"`,
  });
}

function names(generator: ChangeGenerator): string[] {
  const value = (generator.options as Record<string, unknown>).names;
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/** `yo aegis:add <names…>`: adds components and services (with what they require) in one change. */
export class AddGenerator extends ChangeGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, OPTION_FLAGS);
    namesArgument(this, 'add');
    this._prepare();
  }

  _change(): AnswersChange {
    requireSomeName('add', names(this));
    const flags = parseOptionFlags(this.options as Record<string, unknown>, OPTION_FLAGS);
    return { add: withOptionFlags(parseAnyFeatureRequests(names(this)), flags), remove: [] };
  }
}

/** `yo aegis:remove <names…>`: removes components and services, keeping the files the user changed. */
export class RemoveGenerator extends ChangeGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, []);
    namesArgument(this, 'remove');
    this._prepare();
  }

  _change(): AnswersChange {
    requireSomeName('remove', names(this));
    const list = names(this).flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean);
    for (const name of list) {
      if (name.includes('[')) throw new AegisError(`Remove takes names only: "${name.replace(/\[.*$/, '')}", without options.`);
      kindOf(name);
    }
    return { add: [], remove: list };
  }
}
