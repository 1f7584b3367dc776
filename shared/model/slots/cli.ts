import type { Conditional } from './condition.js';
import type { Ordered } from './order.js';

/**
 * A command group of the project CLI (`app/cli/main.py`): the module's Typer `app`, imported under an alias and
 * added with `cli.add_typer(<alias>, name="<name>")`; only `when` it holds, if given.
 */
export interface CliContribution extends Ordered, Conditional {
  readonly module: string;
  readonly alias: string;
  readonly name: string;
}
