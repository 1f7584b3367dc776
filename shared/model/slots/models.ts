/**
 * Table model modules imported by the database's `app/models/__init__.py`, so that `metadata` (what Alembic's
 * autogenerate compares with the database) holds their tables: `from app.models import user as user`. Only the
 * database renders that file, so a feature whose model module exists only with the database (the ai service's, in
 * its `templates-with-database/`) declares it anyway.
 */
export interface ModelsContribution {
  /** Modules of the `app.models` package, e.g. `app.models.user` for `app/models/user.py`. */
  readonly modules: readonly string[];
}
