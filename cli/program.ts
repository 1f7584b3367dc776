import { Command, CommanderError } from 'commander';
import { isAegisError } from '../shared/errors.js';
import { packageVersion } from '../shared/package-info.js';
import { describeSystemError } from '../shared/system-error.js';
import { registerCatalog } from './commands/catalog.js';
import { registerChange } from './commands/change.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDoctor } from './commands/doctor.js';
import { registerIngress } from './commands/ingress.js';
import { registerInit } from './commands/init.js';
import { registerPlugins } from './commands/plugins.js';
import { registerUpdate } from './commands/update.js';
import { red } from './style.js';

/** Each command lives in its own module under commands/ and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('aegis')
    .description('Scaffold a production-ready Python service (FastAPI + Flet) and evolve it: the generator-aegis CLI')
    .version(packageVersion, '-V, --version', 'Print the generator-aegis version')
    .showSuggestionAfterError(true)
    .exitOverride();
  registerInit(program);
  registerChange(program);
  registerUpdate(program);
  registerIngress(program);
  registerCatalog(program);
  registerDeploy(program);
  registerPlugins(program);
  registerDoctor(program);
  program
    .command('version')
    .description('Print the generator-aegis version')
    .action(() => {
      process.stdout.write(`generator-aegis ${packageVersion}\n`);
    });
  return program;
}

/** Runs the CLI and returns the exit code; user errors are one line on stderr, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
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
