import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the Python processes of a test run keep their bytecode (PYTHONPYCACHEPREFIX, set in vitest.config.ts): one
 * folder outside the generated projects, which stay as generated. One per run (vitest's main process reads the config
 * and runs the global setup, which removes it when the run ends), so runs side by side never remove each other's:
 * its projects were in temporary folders of their own, so nothing in it would serve a later run.
 */
export const PYTHON_BYTECODE_DIR = join(tmpdir(), `aegis-tests-pycache-${process.pid}`);
