import { type AnswersChange, ChangeGenerator } from './change-generator.js';
import { ADD_OPTION_FLAGS, addRequest, removeRequest } from '../commands/change-request.js';

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
    super(args, options, ADD_OPTION_FLAGS);
    namesArgument(this, 'add');
    this._prepare();
  }

  _change(): AnswersChange {
    return addRequest(names(this), this.options as Record<string, unknown>);
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
    return removeRequest(names(this));
  }
}
