import type { Conditional } from './condition.js';
import type { Ordered } from './order.js';

/**
 * An API router included by `app/components/backend/api/routing.py`: the module's `router`, imported under an
 * alias (`from <module> import router as <alias>`) and included with `app.include_router(<alias>)`; only `when` it holds, if given.
 */
export interface RouterContribution extends Ordered, Conditional {
  readonly module: string;
  readonly alias: string;
}
