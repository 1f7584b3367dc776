import { describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { render, renderedText } from '../../shared/engine/render.js';
import { PYTHON_PACKAGES, TOOL_VERSIONS, requirement } from '../../shared/model/versions.js';

const renderFor = (raw: Parameters<typeof normalizeAnswers>[0]) => render(normalizeAnswers(raw), { generatorVersion: '9.9.9' });

describe('render', () => {
  const tree = renderFor({ name: 'orders-api', description: 'Orders "API"' });
  const file = (path: string): string => {
    return renderedText(tree, path);
  };

  it('is a pure function of the answers', () => {
    expect([...renderFor({ name: 'orders-api', description: 'Orders "API"' })]).toEqual([...tree]);
  });

  it('renders the base stack', () => {
    for (const path of [
      '.dockerignore',
      '.env.example',
      '.github/workflows/ci.yml',
      '.gitignore',
      '.python-version',
      '.yo-rc.json',
      'Dockerfile',
      'Makefile',
      'README.md',
      'docker-compose.yml',
      'pyproject.toml',
      'app/core/config.py',
      'app/core/log.py',
      'app/components/backend/main.py',
      'app/components/backend/api/routing.py',
      'app/components/frontend/mount.py',
      'app/services/system/health.py',
      'app/entrypoints/webserver.py',
      'app/cli/main.py',
      'tests/test_api_health.py',
    ]) {
      expect(tree.has(path), path).toBe(true);
    }
  });

  it('leaves no template syntax, template file names or prototype names behind', () => {
    for (const [path, contents] of tree) {
      expect(path).not.toMatch(/\.ejs$|(^|\/)dot-/);
      expect(contents, path).not.toMatch(/<%|%>|zephyr/i);
    }
  });

  it('pins every dependency from the versions table', () => {
    const pyproject = file('pyproject.toml');
    const pins = [...pyproject.matchAll(/"([A-Za-z0-9_.\-[\],]+)==([^"]+)"/g)].map((match) => `${match[1]}==${match[2]}`);
    expect(pins.length).toBeGreaterThan(10);
    for (const pin of pins) {
      const name = pin.split(/[[=]/)[0] as keyof typeof PYTHON_PACKAGES;
      expect(PYTHON_PACKAGES, pin).toHaveProperty(name);
      expect(pin).toBe(requirement(name));
    }
    expect(pyproject).toContain(`"${requirement('fastapi')}"`);
    expect(pyproject).toContain(`"${requirement('hatchling')}"`);
    expect(file('Dockerfile')).toContain(`ghcr.io/astral-sh/uv:${TOOL_VERSIONS.uv}`);
    expect(file('.github/workflows/ci.yml')).toContain(`version: "${TOOL_VERSIONS.uv}"`);
  });

  it('uses the name, the description and the console script', () => {
    const pyproject = file('pyproject.toml');
    expect(pyproject).toContain('name = "orders-api"');
    expect(pyproject).toContain('description = "Orders \\"API\\""');
    expect(pyproject).toContain('orders-api = "app.cli.main:main"');
    expect(file('app/core/config.py')).toContain(`app_description: str = 'Orders "API"'`);
    expect(file('README.md')).toMatch(/^# orders-api\n\nOrders "API"\n/);
  });

  it.each(['3.11', '3.12', '3.13', '3.14'])('targets Python %s everywhere it is named', (version) => {
    const versioned = renderFor({ name: 'demo', pythonVersion: version });
    expect(versioned.get('.python-version')).toBe(`${version}\n`);
    expect(versioned.get('pyproject.toml')).toContain(`requires-python = ">=${version}"`);
    expect(versioned.get('pyproject.toml')).toContain(`target-version = "py${version.replace('.', '')}"`);
    expect(versioned.get('Dockerfile')).toContain(`FROM python:${version}-slim AS builder`);
    expect(versioned.get('Dockerfile')).toContain(`FROM python:${version}-slim AS runtime`);
  });

  it('records the generator version and the answers in .yo-rc.json', () => {
    expect(JSON.parse(file('.yo-rc.json'))).toEqual({
      'generator-aegis': {
        version: '9.9.9',
        answers: { name: 'orders-api', description: 'Orders "API"', pythonVersion: '3.13', components: [], services: [], options: {} },
      },
    });
  });
});
