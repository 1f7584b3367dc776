import type { Command } from 'commander';
import { checkEnvironment, thisMachine } from '../../shared/project/environment-checks.js';
import { AegisError } from '../../shared/errors.js';
import { bold, dim, green, red } from '../style.js';

const MARKS = { ok: () => green('ok  '), warn: () => bold('warn'), fail: () => red('FAIL') };

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Check this machine: Node, uv, Python, git, and for deploy an ssh key; say what is missing and how to get it')
    .action(() => {
      const checks = checkEnvironment(thisMachine);
      for (const check of checks) {
        process.stdout.write(`${MARKS[check.status]()} ${check.name.padEnd(8)} ${check.detail}\n`);
        if (check.fix) process.stdout.write(`     ${''.padEnd(8)} ${dim(`fix: ${check.fix}`)}\n`);
      }
      const failed = checks.filter((check) => check.status === 'fail').map((check) => check.name);
      if (failed.length) throw new AegisError(`${failed.join(', ')} missing or unsupported: see the fixes above.`);
    });
}
