import { describe, expect, it } from 'vitest';
import { pythonImportBlock } from '../../shared/python/python-imports.js';

describe('pythonImportBlock, as ruff isort sorts', () => {
  it('orders sections, straight imports first, modules case-insensitively, names by type', () => {
    const block = pythonImportBlock([
      { module: 'app.core.config', names: ['Settings'] },
      { module: 'fastapi', names: ['Request', 'Depends'] },
      { module: 'typer', names: [] },
      { module: 'fastapi', names: ['status', 'HTTPException'] },
      { module: 'contextlib', names: ['asynccontextmanager', 'AsyncExitStack'] },
      { module: 'app.cli.db', names: ['app as db_app'] },
      { module: 'tests.helpers', names: ['fixed_check'] },
    ]);
    expect(block).toBe(
      [
        'from contextlib import AsyncExitStack, asynccontextmanager',
        '',
        'import typer',
        'from fastapi import Depends, HTTPException, Request, status',
        '',
        'from app.cli.db import app as db_app',
        'from app.core.config import Settings',
        'from tests.helpers import fixed_check',
      ].join('\n'),
    );
  });

  it('wraps a line longer than 88 characters, one name a line', () => {
    const names = ['alpha_name_one', 'beta_name_two', 'gamma_name_three', 'delta_name_four', 'epsilon_five'];
    expect(pythonImportBlock([{ module: 'app.some.module', names }])).toBe(
      'from app.some.module import (\n    alpha_name_one,\n    beta_name_two,\n    delta_name_four,\n    epsilon_five,\n    gamma_name_three,\n)',
    );
  });
});
