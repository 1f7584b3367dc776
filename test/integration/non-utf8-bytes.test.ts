/**
 * Found by the lost-line fuzzer (test/e2e/lost-line-fuzzer.test.ts): a file the user gave a byte that is not UTF-8
 * (0xe9, Latin-1 "é", no NUL) is read from disk as text (`readDiskFile` decodes it as UTF-8, turning 0xe9 into
 * U+FFFD) and merged line by line; the merge writes EF BF BD where the user had E9, and `aegis add redis` exits 0.
 * The planner now reads such a file as bytes (decodeFile): a conflict without markers, the user's bytes kept.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyChanges } from '../../shared/engine/apply-changes.js';
import { addFeatures } from '../../shared/model/feature-selection.js';
import { planProjectChange } from '../../shared/engine/project-change.js';
import type { ProjectState } from '../../shared/model/project-state.js';
import { renderedText } from '../../shared/engine/render.js';
import { TEST_VERSION, renderAnswers } from '../support/memory-project.js';
import { tempDir } from '../support/processes.js';
import { findStack, stackAnswers } from '../support/stack-matrix.js';

const root = tempDir('non-utf8');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a file holding a byte that is not UTF-8', () => {
  it('keeps its bytes through `add redis`, which changes that file', () => {
    const answers = stackAnswers(findStack('base'));
    const next = { ...answers, ...addFeatures(answers, [{ name: 'redis', options: {} }]).selection };
    const before: ProjectState = { version: TEST_VERSION, answers };
    const after: ProjectState = { version: TEST_VERSION, answers: { ...answers, components: next.components, services: next.services, options: next.options } };
    const mine = Buffer.concat([Buffer.from(renderedText(renderAnswers(answers), '.env.example')), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]);
    writeFileSync(join(root, '.env.example'), mine);
    const changes = planProjectChange({ root, before, after }).filter((change) => change.path === '.env.example');
    applyChanges(root, changes);
    const now = readFileSync(join(root, '.env.example'));
    expect(now.includes(Buffer.from([0x66, 0xe9, 0x0a])), `${changes[0]?.action}: ends ${now.subarray(-6).toString('hex')}`).toBe(true);
  });
});
