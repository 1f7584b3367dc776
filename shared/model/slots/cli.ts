import type { Ordered } from './order.js';

/**
 * A command group of the project CLI (`app/cli/main.py`): the module's Typer `app`, imported under an alias and
 * added with `cli.add_typer(<alias>, name="<name>")`.
 */
export interface CliContribution extends Ordered {
  readonly module: string;
  readonly alias: string;
  readonly name: string;
}
