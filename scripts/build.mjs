// Compiles the TypeScript (what Yeoman loads for `yo aegis…`), copies each generator's templates (and `contrib/`,
// its fragments of shared files, which render.ts never renders as project files) next to its compiled
// index.js, and bundles the `aegis` bin and the renderer other versions load (see bundle-bin.mjs).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBin, bundleRenderer } from './bundle-bin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
for (const name of readdirSync(join(root, 'generators'))) {
  for (const folder of readdirSync(join(root, 'generators', name))) {
    if (folder !== 'templates' && folder !== 'contrib' && !folder.startsWith('templates-with')) continue;
    const templates = join(root, 'generators', name, folder);
    if (existsSync(templates)) cpSync(templates, join(dist, 'generators', name, folder), { recursive: true });
  }
}
await bundleBin(root, join(dist, 'cli'));
await bundleRenderer(root, join(dist, 'engine'));
chmodSync(join(dist, 'cli', 'aegis.js'), 0o755);
