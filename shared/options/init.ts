import type { OptionDefinition } from './definitions.js';
import { DEFAULT_PYTHON_VERSION, SUPPORTED_PYTHON_VERSIONS } from '../model/python-versions.js';

/** The options of `yo aegis` and `aegis init`, declared once for both. */
export const INIT_OPTIONS: readonly OptionDefinition[] = [
  { name: 'description', type: 'string', valueName: 'text', description: 'One-line project description' },
  {
    name: 'python-version',
    type: 'string',
    valueName: 'version',
    description: `Python version: ${SUPPORTED_PYTHON_VERSIONS.join(', ')} (default ${DEFAULT_PYTHON_VERSION})`,
  },
  {
    name: 'components',
    type: 'string',
    valueName: 'list',
    description: 'Comma-separated optional components (see "aegis components")',
  },
  { name: 'services', type: 'string', valueName: 'list', description: 'Comma-separated services (see "aegis services")' },
  {
    name: 'output-dir',
    type: 'string',
    alias: 'o',
    valueName: 'dir',
    description: 'Folder to create the project in (default: the current folder)',
  },
  { name: 'yes', type: 'boolean', alias: 'y', description: 'Ask nothing: take flags and defaults (headless)' },
  {
    name: 'force',
    type: 'boolean',
    description: 'Generate into a non-empty folder: files the template provides are overwritten, others kept',
  },
  { name: 'skip-install', type: 'boolean', description: 'Do not run uv sync and the formatter after writing' },
  {
    name: 'skip-git',
    type: 'boolean',
    description: 'Do not create a git repository with an initial commit (none is created inside an existing work tree)',
  },
];
