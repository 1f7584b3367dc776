// Writes docs/cli-reference.md from the built CLI's definitions (npm run docs:cli builds first).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliReference } from '../dist/cli/reference.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'cli-reference.md');
writeFileSync(target, cliReference());
console.log(`wrote ${target}`);
