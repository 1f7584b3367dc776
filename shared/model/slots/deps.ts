import type { PythonImport } from './python-import.js';

/** FastAPI dependencies added to `app/components/backend/api/deps.py`. */
export interface DepsContribution {
  /** What the code needs imported; merged into the file's sorted import block. */
  readonly imports: readonly PythonImport[];
  /** EJS fragment appended after the base dependencies, relative to the feature's folder (`components/<name>/`). */
  readonly code: string;
  /** The code defines the admin API's guard (`require_admin`, `is_admin_request`) in place of the base one. */
  readonly providesAdminGuard?: boolean;
}
