import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../../cli/reference.js';

describe('docs/cli-reference.md', () => {
  it('is the reference the current command definitions generate (run "npm run docs:cli" when this fails)', () => {
    const committed = readFileSync(new URL('../../docs/cli-reference.md', import.meta.url), 'utf8');
    expect(committed).toBe(cliReference());
  });
});
