import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { readState, serializeState, updateStateFile } from '../../shared/model/project-state.js';

const dirs: string[] = [];
function project(contents?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-state-'));
  dirs.push(dir);
  if (contents !== undefined) writeFileSync(join(dir, '.yo-rc.json'), contents);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state = { version: '0.1.0', answers: normalizeAnswers({ name: 'demo', components: 'scheduler[sqlite]' }) };

describe('project state', () => {
  it('reads back what it wrote', () => {
    expect(readState(project(serializeState(state)))).toEqual(state);
  });

  it('says when a folder is not a project, or the file is corrupt, naming the fix', () => {
    expect(() => readState(project())).toThrow('is not a generator-aegis project (no .yo-rc.json)');
    expect(() => readState(project('{ nope'))).toThrow('not valid JSON');
    expect(() => readState(project('{"generator-foo": {}}'))).toThrow('no "generator-aegis" entry');
    const unknown = serializeState(state).replace('"scheduler"\n', '"teleporter"\n');
    expect(() => readState(project(unknown))).toThrow('Unknown component "teleporter"');
    const badOption = serializeState(state).replace('"persistence": "sqlite"', '"persistence": "tape"');
    expect(() => readState(project(badOption))).toThrow('invalid option scheduler.persistence = "tape"');
  });

  it('keeps other generators\u2019 entries when it updates the file', () => {
    const other = `{\n  "generator-other": {\n    "x": 1\n  },\n  "generator-aegis": {}\n}\n`;
    const updated = updateStateFile(other, state);
    expect(JSON.parse(updated)).toEqual({ 'generator-other': { x: 1 }, ...JSON.parse(serializeState(state)) });
    expect(updated.indexOf('generator-other')).toBeLessThan(updated.indexOf('generator-aegis'));
    expect(updateStateFile(serializeState(state), state)).toBe(serializeState(state));
  });
});

describe('readState with a multi-valued option', () => {
  it('accepts a list of known values and refuses an unknown one', async () => {
    const { parseState } = await import('../../shared/model/project-state.js');
    const entry = (providers: string) =>
      JSON.stringify({ 'generator-aegis': { version: '1.0.0', answers: { name: 'demo', pythonVersion: '3.12', services: ['ai'], options: { ai: { providers } } } } });
    expect(parseState(entry('anthropic,openai')).answers.options.ai).toEqual({ providers: 'anthropic,openai' });
    expect(() => parseState(entry('openai,mistral'))).toThrow('invalid option ai.providers = "openai,mistral"');
  });
});
