import { describe, expect, it } from 'vitest';
import { defaultDescription, normalizeAnswers } from '../../shared/model/answers.js';
import { parsePythonVersion, pythonTag } from '../../shared/model/python-versions.js';

describe('normalizeAnswers', () => {
  it('fills defaults: Python 3.13, a description, no components or services', () => {
    expect(normalizeAnswers({ name: 'demo' })).toEqual({
      name: 'demo',
      description: defaultDescription('demo'),
      pythonVersion: '3.13',
      components: [],
      services: [],
      options: {},
    });
  });

  it('keeps a given description, trimmed', () => {
    expect(normalizeAnswers({ name: 'demo', description: '  Orders API  ' }).description).toBe('Orders API');
  });

  it('refuses a multi-line or overlong description', () => {
    expect(() => normalizeAnswers({ name: 'demo', description: 'a\nb' })).toThrow('single line');
    expect(() => normalizeAnswers({ name: 'demo', description: 'x'.repeat(201) })).toThrow('under 200');
  });

  it('refuses unknown components and services, naming them', () => {
    expect(() => normalizeAnswers({ name: 'demo', components: 'teleporter' })).toThrow('Unknown component "teleporter"');
    expect(() => normalizeAnswers({ name: 'demo', services: ['payments'] })).toThrow('Unknown service "payments"');
  });

  it('records the options of chosen components, defaults filled in', () => {
    expect(normalizeAnswers({ name: 'demo', components: 'scheduler' })).toMatchObject({
      components: ['scheduler'],
      options: { scheduler: { persistence: 'memory' } },
    });
    expect(normalizeAnswers({ name: 'demo', components: ['scheduler[sqlite]'] }).options).toEqual({
      scheduler: { persistence: 'sqlite' },
    });
  });

  it('says that core components are always included', () => {
    expect(() => normalizeAnswers({ name: 'demo', components: 'backend' })).toThrow('core component and always included');
  });
});

describe('python versions', () => {
  it.each(['3.11', '3.12', '3.13', '3.14'])('supports %s', (version) => {
    expect(parsePythonVersion(version)).toBe(version);
  });

  it.each(['3.10', '3', '3.13.1', 'latest', ''])('refuses %j listing the supported ones', (version) => {
    expect(() => parsePythonVersion(version)).toThrow('choose one of 3.11, 3.12, 3.13, 3.14');
  });

  it('gives ruff target tags', () => {
    expect(pythonTag('3.11')).toBe('py311');
  });
});
