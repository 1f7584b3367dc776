import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AegisError } from '../errors.js';
import { packageVersion } from '../package-info.js';
import { PLUGIN_API_VERSION } from './api-range.js';
import { isPluginName } from './plugin-ref.js';

/** `aegis-plugin-audit-log` → `audit-log`: the sample feature is named after the package. */
function featureName(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '').replace(/^aegis-plugin-/, '').replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '') || 'sample';
}

function files(name: string): Record<string, string> {
  const feature = featureName(name);
  const module = feature.replace(/-/g, '_');
  const env = `${module.toUpperCase()}_GREETING`;
  const major = PLUGIN_API_VERSION.split('.')[0];
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: `${feature}: a generator-aegis plugin`,
        keywords: ['generator-aegis-plugin'],
        license: 'MIT',
        type: 'module',
        exports: { '.': './index.js', './package.json': './package.json' },
        files: ['index.js', 'components'],
        aegis: { pluginApi: `^${major}.0.0` },
        // Node 22+ reads the argument as a glob (a bare folder is "Cannot find module"); quoted for every shell.
        scripts: { test: 'node --test "test/**/*.test.js"' },
        peerDependencies: { 'generator-aegis': `>=${packageVersion}` },
        devDependencies: { 'generator-aegis': `^${packageVersion}` },
      },
      null,
      2,
    )}\n`,
    'index.js': `import { ${module} } from './components/${feature}/spec.js';\n\n/** The features this plugin brings (generator-aegis plugin API ${major}). */\nexport const features = [${module}];\n`,
    [`components/${feature}/spec.js`]: `/** @type {import('generator-aegis/testing').FeatureSpec} */
export const ${module} = {
  name: '${feature}',
  kind: 'component',
  description: '${feature}: a sample component with a setting and a health card',
  requires: [],
  options: [],
  pythonDependencies: [],
  pythonDevDependencies: [],
  contributes: {
    settings: {
      sections: [
        {
          heading: { config: '${feature}', dotenv: '${feature}' },
          entries: [
            {
              env: '${env}',
              field: { name: '${module}_greeting', type: 'str', default: '"hello"' },
              dotenv: { value: 'hello' },
              readme: { default: '\`hello\`' },
            },
          ],
        },
      ],
    },
    health: [{ name: '${feature}', module: 'app.components.${module}.health', fn: 'check_${module}' }],
  },
};
`,
    [`components/${feature}/templates/app/components/${module}/__init__.py`]: `"""${feature}: a generator-aegis plugin component."""\n`,
    [`components/${feature}/templates/app/components/${module}/health.py`]: `"""Health card of ${feature}: its greeting, from the settings."""

from app.core.config import get_settings
from app.services.system.health import ComponentHealth, HealthStatus


async def check_${module}() -> ComponentHealth:
    """Report the configured greeting."""
    greeting = get_settings().${module}_greeting
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"greeting: {greeting}",
        details={"greeting": greeting},
    )
`,
    [`components/${feature}/templates/tests/test_${module}.py`]: `"""The ${feature} component's health card."""

import pytest

from app.components.${module}.health import check_${module}
from app.core.config import get_settings
from app.services.system.health import HealthStatus


async def test_the_card_shows_the_configured_greeting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("${env}", "bonjour")
    get_settings.cache_clear()
    result = await check_${module}()
    assert result.status is HealthStatus.HEALTHY
    assert "bonjour" in result.message
`,
    [`components/${feature}/README.md`]: `# ${feature}

A sample component of the \`${name}\` generator-aegis plugin: replace it with yours.

## Add it

\`\`\`bash
aegis plugins add ${name}
aegis add ${feature}
\`\`\`

## What it brings

- \`app/components/${module}/\`: its code, and a health card on \`/health/detailed\` and the dashboard.
- The setting \`${env}\` (default \`hello\`).

## Remove it

\`aegis remove ${feature}\` takes its files out again (files you changed are kept), then
\`aegis plugins remove ${name}\`.
`,
    [`test/${feature}.test.js`]: `import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checkConvergence,
  checkGoldenRender,
  checkRoundTrip,
  checkUserLinesSurvive,
  loadPlugin,
} from 'generator-aegis/testing';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = loadPlugin(root);

test('init with ${feature} = init, then add ${feature}', () => checkConvergence(plugin, '${feature}'));
test('add, then remove ${feature}: the project as it was', () => checkRoundTrip(plugin, '${feature}'));
test("a user's lines survive adding and removing ${feature}", () => checkUserLinesSurvive(plugin, '${feature}'));
test('the render matches the golden hashes', () =>
  checkGoldenRender(plugin, '${feature}', fileURLToPath(new URL('golden/${feature}.json', import.meta.url))));
`,
    'README.md': `# ${name}

A [generator-aegis](https://www.npmjs.com/package/generator-aegis) plugin: the \`${feature}\` component
(see [components/${feature}/README.md](components/${feature}/README.md)).

\`\`\`bash
npm install
npm test              # the generator-aegis test kit: convergence, round trip, user lines, golden render
npm publish
\`\`\`

Writing, testing, publishing and versioning a plugin: generator-aegis's docs/plugins.md.
`,
    '.gitignore': 'node_modules/\n*.tgz\n',
  };
}

/** Writes a new plugin package into `directory` (default ./<name without scope>), which must be absent or empty. */
export function createPluginPackage(name: string, directory?: string): string {
  if (!isPluginName(name)) {
    throw new AegisError(`"${name}" is not a valid npm package name (lower case, e.g. aegis-plugin-audit or @acme/aegis-plugin-audit).`);
  }
  const folder = resolve(directory ?? name.replace(/^@[^/]+\//, ''));
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    throw new AegisError(`${folder} is not empty: choose another folder with --directory (nothing was written).`);
  }
  for (const [path, contents] of Object.entries(files(name))) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), contents);
  }
  return folder;
}
