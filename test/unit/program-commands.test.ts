import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, buildProgram } from '../../cli/program.js';

const names = (program: Command): string[] => program.commands.map((command) => command.name());

describe('the bin defines only the command its arguments name', () => {
  it.each(COMMAND_MODULES.map((module) => [module.names.join(', '), module] as const))('%s: the names its module registers', (_, module) => {
    const program = new Command('aegis');
    module.register(program);
    expect(names(program)).toEqual(module.names);
  });

  it('has every command without a command name, or with one no module registers', () => {
    const all = COMMAND_MODULES.flatMap((module) => module.names);
    expect(names(buildProgram())).toEqual(all);
    for (const argument of ['help', '--help', '-h', 'no-such-command']) expect(names(buildProgram(argument))).toEqual(all);
  });

  it('has none for --version', () => {
    for (const argument of ['-V', '--version']) expect(names(buildProgram(argument))).toEqual([]);
  });

  it('defines a command as the whole program does', () => {
    const whole = buildProgram();
    for (const module of COMMAND_MODULES) {
      for (const name of module.names) {
        const alone = buildProgram(name);
        expect(names(alone)).toEqual(module.names);
        const command = alone.commands.find((candidate) => candidate.name() === name)!;
        expect(command.helpInformation()).toBe(whole.commands.find((candidate) => candidate.name() === name)!.helpInformation());
      }
    }
  });
});
