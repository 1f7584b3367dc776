import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const folders = (dir: string) =>
  readdirSync(join(repo, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

// Moved from test/unit/registry.test.ts: cli/run-generator.js imports yeoman-environment (a second on its own).
describe('registry', () => {
  it('lets the bin run every command generator and every component’s and service’s generator', async () => {
    const { GENERATOR_NAMES } = await import('../../cli/run-generator.js');
    expect([...GENERATOR_NAMES].sort()).toEqual([...folders('generators'), ...folders('components')].sort());
  });
});
