// Compiles the TypeScript, copies the template folders next to the compiled code (the base's templates, and each
// component's templates and `contrib/`, its fragments of shared files, which render.ts never renders as project
// files) and compiles their EJS into dist/templates.compiled.cjs (see precompile-templates.mjs), writes the thin
// Yeoman entry point of every component and service (`yo aegis:<name>` looks for dist/generators/<name>/index.js),
// and bundles the `aegis` bin and the renderer other versions load (see bundle-bin.mjs).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBin, bundleRenderer } from './bundle-bin.mjs';
import { precompileTemplates } from './precompile-templates.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
cpSync(join(root, 'base', 'templates'), join(dist, 'base', 'templates'), { recursive: true });
const templateFolders = [join(dist, 'base', 'templates')];
for (const entry of readdirSync(join(root, 'components'), { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const name = entry.name;
  for (const folder of readdirSync(join(root, 'components', name))) {
    if (folder !== 'contrib' && !folder.startsWith('templates')) continue;
    cpSync(join(root, 'components', name, folder), join(dist, 'components', name, folder), { recursive: true });
    templateFolders.push(join(dist, 'components', name, folder));
  }
}
const { ALL_FEATURES } = await import(pathToFileURL(join(dist, 'shared', 'model', 'registry.js')).href);
const composeValues = ALL_FEATURES.flatMap((feature) =>
  [feature.contributes?.compose ?? []].flat().flatMap((compose) => (compose.environment ?? []).map((variable) => variable.value)),
);
precompileTemplates(dist, templateFolders, composeValues);
for (const feature of ALL_FEATURES.filter((spec) => spec.kind !== 'core')) {
  const folder = join(dist, 'generators', feature.name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'index.js'),
    `// Written by scripts/build.mjs: \`yo aegis:${feature.name}\`, the generator of components/${feature.name}/.\n` +
      "import '../../shared/node-guard.js';\n" +
      "import { featureGenerator } from '../../shared/yeoman/feature-generator.js';\n\n" +
      `export default featureGenerator('${feature.name}');\n`,
  );
}
await bundleBin(root, join(dist, 'cli'));
await bundleRenderer(root, join(dist, 'engine'));
chmodSync(join(dist, 'cli', 'aegis.js'), 0o755);
