import type { Ordered } from './order.js';

/**
 * Makefile targets: an EJS fragment relative to the feature's folder (`components/<name>/`) (e.g. `contrib/Makefile.ejs`),
 * rendered with the template context and placed after the base's run targets, a blank line before it.
 */
export interface MakeContribution extends Ordered {
  readonly fragment: string;
}
