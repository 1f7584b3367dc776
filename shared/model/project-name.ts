import { AegisError } from '../errors.js';
import { PYTHON_STDLIB_MODULES } from '../python/python-stdlib.js';
import { pinnedDistributionNames } from './versions.js';

const PYTHON_KEYWORDS = new Set([
  'false', 'none', 'true', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const MAX_LENGTH = 64;

/** `my-api` → `my_api`: the identifier form of a project name. */
export function toSnakeCase(name: string): string {
  return name.replace(/-/g, '_');
}

function invalid(name: string, problem: string, fix: string): AegisError {
  return new AegisError(`Invalid project name "${name}": ${problem}. ${fix}`);
}

/**
 * Checks a project name: lowercase letters, digits, "-" and "_", starting with a letter, not a Python keyword,
 * a standard-library module or a dependency the project pins. Returns the name unchanged.
 */
export function validateProjectName(raw: string | undefined): string {
  const name = raw ?? '';
  const example = 'e.g. "aegis init my-service".';
  if (name.trim() === '') throw new AegisError(`The project name is empty: give one, ${example}`);
  if (/\s/.test(name)) {
    const suggestion = name.trim().toLowerCase().replace(/\s+/g, '-');
    throw invalid(name, 'it contains spaces', `Use hyphens instead, e.g. "${suggestion}".`);
  }
  if (/^[0-9]/.test(name)) throw invalid(name, 'it starts with a digit', `Start it with a letter, e.g. "app-${name}".`);
  if (/[A-Z]/.test(name) && /^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw invalid(name, 'it contains uppercase letters', `Use lowercase, e.g. "${name.toLowerCase()}".`);
  }
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
    throw invalid(name, 'it may only contain lowercase letters, digits, "-" and "_", and must start with a letter', example);
  }
  if (/[-_]$/.test(name)) throw invalid(name, 'it ends with "-" or "_"', `Drop the last character: "${name.slice(0, -1)}".`);
  if (name.length > MAX_LENGTH) throw invalid(name, `it is longer than ${MAX_LENGTH} characters`, 'Choose a shorter name.');
  const identifier = toSnakeCase(name);
  if (PYTHON_KEYWORDS.has(identifier)) {
    throw invalid(name, 'it is a Python keyword', `Choose another name, e.g. "${name}-service".`);
  }
  if (PYTHON_STDLIB_MODULES.has(identifier)) {
    throw invalid(name, `it shadows the Python standard-library module "${identifier}"`, `Choose another name, e.g. "${name}-service".`);
  }
  if (pinnedDistributionNames().includes(name.replace(/_/g, '-'))) {
    throw invalid(name, `it is the name of the "${name}" package the project depends on (uv refuses that)`, `Choose another name, e.g. "${name}-service".`);
  }
  return name;
}
