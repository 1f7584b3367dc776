import { Command, CommanderError } from 'commander';
import { isAegisError } from '../shared/errors.js';
import { packageVersion } from '../shared/package-info.js';
import { describeSystemError } from '../shared/system-error.js';
import { registerCatalog } from './commands/catalog.js';
import { registerChange } from './commands/change.js';
import { DEPLOY_COMMAND_NAMES, registerDeploy } from './commands/deploy.js';
import { registerDoctor } from './commands/doctor.js';
import { registerIngress } from './commands/ingress.js';
import { registerInit } from './commands/init.js';
import { registerPlugins } from './commands/plugins.js';
import { registerUpdate } from './commands/update.js';
import { red } from './style.js';

function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Print the generator-aegis version')
    .action(() => {
      process.stdout.write(`generator-aegis ${packageVersion}\n`);
    });
}

/** Each command lives in its own module under commands/ and registers itself here, with the names it registers. */
export const COMMAND_MODULES: readonly { readonly register: (program: Command) => void; readonly names: readonly string[] }[] = [
  { register: registerInit, names: ['init'] },
  { register: registerChange, names: ['add', 'remove', 'add-service', 'remove-service'] },
  { register: registerUpdate, names: ['update'] },
  { register: registerIngress, names: ['ingress-enable'] },
  { register: registerCatalog, names: ['components', 'services'] },
  { register: registerDeploy, names: DEPLOY_COMMAND_NAMES },
  { register: registerPlugins, names: ['plugins'] },
  { register: registerDoctor, names: ['doctor'] },
  { register: registerVersion, names: ['version'] },
];

/**
 * The program with every command, or (given the command the arguments name) with only the module that registers it,
 * or none for `--version`: defining every command and option costs a few milliseconds of each command's start.
 */
export function buildProgram(commandName?: string): Command {
  const program = new Command('aegis')
    .description('Scaffold a production-ready Python service (FastAPI + Flet) and evolve it: the generator-aegis CLI')
    .version(packageVersion, '-V, --version', 'Print the generator-aegis version')
    .showSuggestionAfterError(true)
    .exitOverride();
  if (commandName === '-V' || commandName === '--version') return program;
  const owner = COMMAND_MODULES.find((module) => commandName !== undefined && module.names.includes(commandName));
  for (const module of owner ? [owner] : COMMAND_MODULES) module.register(program);
  return program;
}

/** Runs the CLI and returns the exit code; user errors are one line on stderr, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(argv[0]);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const userError = isAegisError(error) ? error : describeSystemError(error);
    if (userError) {
      process.stderr.write(`${red('error:', process.stderr)} ${userError.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? (process.env.AEGIS_DEBUG ? error.stack : error.message) : String(error);
    process.stderr.write(`${red('error:', process.stderr)} ${message}\n(unexpected: set AEGIS_DEBUG=1 for the stack trace and report it)\n`);
    return 1;
  }
}
