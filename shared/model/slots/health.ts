import type { Ordered } from './order.js';

/** A check registered into the project's health registry (`app/services/system/checks.py`), a dashboard card. */
export interface HealthContribution extends Ordered {
  /** The name it is registered and shown under, e.g. `redis`. */
  readonly name: string;
  /** Module defining the check, e.g. `app.components.redis.health`. */
  readonly module: string;
  /** The check function, e.g. `check_redis`. */
  readonly fn: string;
  /** What the README's list of built-in checks says of it, in parentheses after its name (may hold a newline). */
  readonly summary?: string;
}
