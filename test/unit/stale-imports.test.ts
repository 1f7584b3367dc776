import { describe, expect, it } from 'vitest';
import { droppedDistributions, findStaleImports, formatStaleImports, projectDependencies, staleImportsAfter } from '../../shared/project/stale-imports.js';
import type { FileChange } from '../../shared/engine/reconcile.js';
import { importNames } from '../../shared/model/versions.js';

const PYPROJECT = (deps: string[]) => `[project]
name = "demo"
dependencies = [
${deps.map((dep) => `    "${dep}",`).join('\n')}
]

[dependency-groups]
dev = [
    "pytest==9.2.0",
]
`;

describe('projectDependencies', () => {
  it('reads [project] dependencies only, with extras, markers and comments, normalised', () => {
    const text = PYTHON_WITH_EXTRAS;
    expect([...projectDependencies(text)].sort()).toEqual(['apscheduler', 'pydantic-settings', 'uvicorn']);
  });

  it('reads a one-line list, and nothing without one', () => {
    expect([...projectDependencies('[project]\ndependencies = ["arq==0.28.0", \'Redis>=5\']\n')]).toEqual(['arq', 'redis']);
    expect(projectDependencies('[tool.x]\ndependencies = ["arq"]\n').size).toBe(0);
  });
});

const PYTHON_WITH_EXTRAS = `[project]
dependencies = [
    "uvicorn[standard]==0.54.0",  # the server
    "Pydantic_Settings==2.16.3",
    "apscheduler==3.11.3 ; python_version >= '3.11'",
]
[dependency-groups]
dev = ["pytest==9.2.0"]
`;

describe('droppedDistributions', () => {
  it('lists what before has and after lacks', () => {
    expect(droppedDistributions(PYPROJECT(['fastapi==1', 'apscheduler==3', 'sqlalchemy==2']), PYPROJECT(['fastapi==1', 'sqlalchemy==2']))).toEqual(['apscheduler']);
    expect(droppedDistributions(PYPROJECT(['fastapi==1']), PYPROJECT(['fastapi==1', 'arq==0']))).toEqual([]);
  });
});

describe('importNames', () => {
  it('knows the modules whose names differ from their distribution', () => {
    expect(importNames('pyjwt')).toEqual(['jwt']);
    expect(importNames('pydantic-ai-slim')).toEqual(['pydantic_ai']);
    expect(importNames('email-validator')).toEqual(['email_validator']);
    expect(importNames('apscheduler')).toEqual(['apscheduler']);
    expect(importNames('Some.Other-Pkg')).toEqual(['some_other_pkg']);
  });
});

describe('findStaleImports', () => {
  const files = new Map([
    ['app/jobs.py', ['import os', 'from apscheduler.schedulers.asyncio import AsyncIOScheduler', 'def f():', '    import apscheduler.triggers.cron as cron', '    return cron'].join('\n')],
    ['app/auth.py', 'import json, jwt  # tokens\n'],
    ['app/doc.py', '"""\nimport apscheduler\n"""\n# import apscheduler\nx = "import apscheduler"\n'],
    ['app/near.py', 'import apscheduler_extra\nfrom .apscheduler import x\nfrom apschedulerx import y\n'],
  ]);

  it('finds top-level and indented imports of dropped modules, with their lines', () => {
    expect(findStaleImports(files, ['apscheduler', 'pyjwt'])).toEqual([
      { path: 'app/auth.py', line: 1, text: 'import json, jwt  # tokens', distribution: 'pyjwt' },
      { path: 'app/jobs.py', line: 2, text: 'from apscheduler.schedulers.asyncio import AsyncIOScheduler', distribution: 'apscheduler' },
      { path: 'app/jobs.py', line: 4, text: 'import apscheduler.triggers.cron as cron', distribution: 'apscheduler' },
    ]);
  });

  it('ignores docstrings, comments, strings, relative imports and look-alike names', () => {
    expect(findStaleImports(new Map([...files].filter(([path]) => path === 'app/doc.py' || path === 'app/near.py')), ['apscheduler'])).toEqual([]);
    expect(findStaleImports(files, [])).toEqual([]);
  });

  it('formats each line and the fix', () => {
    const text = formatStaleImports(findStaleImports(files, ['apscheduler']));
    expect(text).toContain('app/jobs.py:2  from apscheduler.schedulers.asyncio import AsyncIOScheduler  (apscheduler)');
    expect(text).toContain('Remove the import, or add the dependency back with `uv add apscheduler`.');
  });
});

describe('staleImportsAfter', () => {
  it('reads the Python files only when the pyproject.toml change dropped something', () => {
    let reads = 0;
    const read = () => {
      reads += 1;
      return new Map([['app/x.py', 'import apscheduler\n']]);
    };
    const dropping: FileChange = { path: 'pyproject.toml', action: 'update', before: PYPROJECT(['apscheduler==3']), after: PYPROJECT([]) };
    expect(staleImportsAfter([dropping], read)).toHaveLength(1);
    const adding: FileChange = { path: 'pyproject.toml', action: 'update', before: PYPROJECT([]), after: PYPROJECT(['arq==0']) };
    expect(staleImportsAfter([adding], read)).toEqual([]);
    expect(staleImportsAfter([], read)).toEqual([]);
    expect(reads).toBe(1);
  });
});
