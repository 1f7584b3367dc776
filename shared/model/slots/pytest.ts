/** What the project's pytest configuration gains (`tests/conftest.py`, `[tool.pytest.ini_options]`). */
export interface PytestContribution {
  /** Fixture modules listed in `pytest_plugins`, e.g. `tests.redis_support`. */
  readonly plugins?: readonly string[];
  /** Markers declared for `--strict-markers`, e.g. `redis: needs a Redis server …`. */
  readonly markers?: readonly string[];
}
