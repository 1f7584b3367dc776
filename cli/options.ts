import { Option, type Command } from 'commander';
import type { OptionDefinition } from '../shared/options/definitions.js';

/** Registers shared option definitions on a commander command. */
export function addOptions(command: Command, definitions: readonly OptionDefinition[]): Command {
  for (const definition of definitions) {
    const flags = [
      definition.alias ? `-${definition.alias}, ` : '',
      `--${definition.name}`,
      definition.type === 'string' ? ` <${definition.valueName ?? 'value'}>` : '',
    ].join('');
    command.addOption(new Option(flags, definition.description));
  }
  return command;
}
