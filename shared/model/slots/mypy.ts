import type { Ordered } from './order.js';

/** A `[[tool.mypy.overrides]]` table with `ignore_missing_imports = true`, for packages without type information. */
export interface MypyContribution extends Ordered {
  /** Why, written as a comment above `module = …`. */
  readonly comment: string;
  readonly modules: readonly string[];
}
