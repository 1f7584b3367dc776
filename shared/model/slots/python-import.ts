/**
 * Names a Python file imports from one module: `{ module: 'fastapi', names: ['Depends', 'Request'] }`. A name may
 * carry an alias (`'router as ai_router'`). Slot preparation merges and sorts these as ruff's isort does.
 */
export interface PythonImport {
  readonly module: string;
  readonly names: readonly string[];
}
