import { AegisError } from '../errors.js';

export const SUPPORTED_PYTHON_VERSIONS = ['3.11', '3.12', '3.13', '3.14'] as const;
export type PythonVersion = (typeof SUPPORTED_PYTHON_VERSIONS)[number];
export const DEFAULT_PYTHON_VERSION: PythonVersion = '3.13';

export function parsePythonVersion(value: string): PythonVersion {
  const trimmed = value.trim();
  const found = SUPPORTED_PYTHON_VERSIONS.find((version) => version === trimmed);
  if (!found) {
    throw new AegisError(
      `Unsupported Python version "${value}": choose one of ${SUPPORTED_PYTHON_VERSIONS.join(', ')} (--python-version ${DEFAULT_PYTHON_VERSION}).`,
    );
  }
  return found;
}

/** "3.13" → "py313", the form ruff's target-version takes. */
export function pythonTag(version: PythonVersion): string {
  return `py${version.replace('.', '')}`;
}
