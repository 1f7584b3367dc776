import type { Ordered } from './order.js';

/**
 * An async context entered by the application lifespan (`app/components/backend/lifespan.py`):
 * `await stack.enter_async_context(<fn>(<argument>))`.
 */
export interface LifespanContribution extends Ordered {
  readonly module: string;
  readonly fn: string;
  /** What the context function is given: the settings or the FastAPI application. */
  readonly argument: 'settings' | 'app';
}
