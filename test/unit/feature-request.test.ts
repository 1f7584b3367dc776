import { describe, expect, it } from 'vitest';
import { parseAnyFeatureRequests, parseFeatureRequests, withOptionFlags } from '../../shared/model/feature-request.js';

describe('parseFeatureRequests', () => {
  it('reads names with bracket options, bare values or name=value', () => {
    expect(parseFeatureRequests('component', 'scheduler[sqlite]')).toEqual([{ name: 'scheduler', options: { persistence: 'sqlite' } }]);
    expect(parseFeatureRequests('component', ['scheduler[persistence=memory]'])).toEqual([
      { name: 'scheduler', options: { persistence: 'memory' } },
    ]);
    expect(parseFeatureRequests('component', ' scheduler , ')).toEqual([{ name: 'scheduler', options: {} }]);
    expect(parseFeatureRequests('component', undefined)).toEqual([]);
  });

  it('merges repeats and refuses conflicting options', () => {
    expect(parseFeatureRequests('component', 'scheduler,scheduler[sqlite]')).toEqual([
      { name: 'scheduler', options: { persistence: 'sqlite' } },
    ]);
    expect(() => parseFeatureRequests('component', 'scheduler[memory,sqlite]')).toThrow(
      'persistence cannot be both "memory" and "sqlite"',
    );
    expect(() => parseFeatureRequests('component', 'scheduler[memory],scheduler[sqlite]')).toThrow('Conflicting options');
  });

  it('names the problem: unknown names, options and syntax', () => {
    expect(() => parseFeatureRequests('component', 'shceduler')).toThrow('Did you mean "scheduler"?');
    expect(() => parseFeatureRequests('component', 'scheduler[redis]')).toThrow(
      'Unknown option "redis" for component "scheduler" (persistence: memory|sqlite|postgres)',
    );
    expect(() => parseFeatureRequests('component', 'scheduler[sqlite')).toThrow('Cannot read "scheduler[sqlite"');
    expect(() => parseFeatureRequests('component', 'backend')).toThrow('core component');
  });

  it('routes mixed lists by kind', () => {
    expect(parseAnyFeatureRequests(['scheduler'])).toEqual([{ name: 'scheduler', options: {} }]);
    expect(() => parseAnyFeatureRequests(['helm-chart'])).toThrow('Unknown component or service "helm-chart"');
  });
});

describe('withOptionFlags', () => {
  it('applies a flag to the feature that has the option', () => {
    expect(withOptionFlags([{ name: 'scheduler', options: {} }], { persistence: 'sqlite' })).toEqual([
      { name: 'scheduler', options: { persistence: 'sqlite' } },
    ]);
  });

  it('refuses a bad value, a contradiction, and a flag nothing uses', () => {
    expect(() => withOptionFlags([{ name: 'scheduler', options: {} }], { persistence: 'redis' })).toThrow(
      'choose one of memory, sqlite',
    );
    expect(() => withOptionFlags([{ name: 'scheduler', options: { persistence: 'memory' } }], { persistence: 'sqlite' })).toThrow(
      'Conflicting options',
    );
    expect(() => withOptionFlags([], { persistence: 'sqlite' })).toThrow('--persistence applies to scheduler');
  });
});

describe('an option with several values (the AI service providers)', () => {
  it('collects bracket values in the option order, as a comma list', () => {
    expect(parseFeatureRequests('service', 'auth,ai[openai,anthropic]')).toEqual([
      { name: 'auth', options: {} },
      { name: 'ai', options: { providers: 'anthropic,openai' } },
    ]);
    expect(parseFeatureRequests('service', 'ai[groq],ai[providers=google,groq]')).toEqual([{ name: 'ai', options: { providers: 'google,groq' } }]);
  });

  it('names a wrong provider with the closest one and the choices', () => {
    expect(() => parseFeatureRequests('service', 'ai[opneai]')).toThrow(
      'Unknown option "opneai" for service "ai" (providers: anthropic|google|groq|openai). Did you mean "openai"?',
    );
  });

  it('takes --providers as a comma list and refuses an unknown one', () => {
    expect(withOptionFlags([{ name: 'ai', options: {} }], { providers: 'openai,groq' })).toEqual([{ name: 'ai', options: { providers: 'groq,openai' } }]);
    expect(() => withOptionFlags([{ name: 'ai', options: {} }], { providers: 'openai,mistral' })).toThrow(
      'Invalid --providers "openai,mistral" for ai: choose a comma list of anthropic, google, groq, openai.',
    );
  });
});
