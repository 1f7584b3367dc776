import type { Conditional } from './condition.js';

/**
 * Table model modules imported by the database's `app/models/__init__.py`, so that `metadata` (what Alembic's
 * autogenerate compares with the database) holds their tables: `from app.models import user as user`. Only the
 * database renders that file, so a feature whose model module exists only with the database (the ai service's, in
 * its `templates-with-database/`) declares it anyway. A module that exists only with another feature says so with
 * `when` (the comms service's tokens need auth's users).
 */
export interface ModelsContribution extends Conditional {
  /** Modules of the `app.models` package, e.g. `app.models.user` for `app/models/user.py`. */
  readonly modules: readonly string[];
}
