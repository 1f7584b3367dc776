import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const generatorsSourceDir = join(import.meta.dirname, '..', '..', 'generators');

// Moved from test/unit/registry.test.ts: cli/run-generator.js imports yeoman-environment (a second on its own).
describe('registry', () => {
  it('lets the bin run every generator folder there is', async () => {
    const { GENERATOR_NAMES } = await import('../../cli/run-generator.js');
    const folders = readdirSync(generatorsSourceDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect([...GENERATOR_NAMES].sort()).toEqual(folders.map((entry) => entry.name).sort());
  });
});
