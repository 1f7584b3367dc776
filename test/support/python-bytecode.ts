import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the Python processes of a test run keep their bytecode (PYTHONPYCACHEPREFIX, set in vitest.config.ts): one
 * folder outside the generated projects, which stay as generated. Removed when the run ends (global-setup.ts): its
 * projects were in temporary folders of their own, so nothing in it serves a later run.
 */
export const PYTHON_BYTECODE_DIR = join(tmpdir(), 'aegis-tests-pycache');
