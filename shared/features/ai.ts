import type { FeatureSpec } from './feature-spec.js';

export const ai: FeatureSpec = {
  name: 'ai',
  kind: 'service',
  description:
    'AI chat on PydanticAI: several providers, an offline model that needs no key, streaming, conversation memory, a CLI chat',
  // Uses the database (conversations in tables) and auth (conversations per user) when the project has them.
  requires: [],
  options: [
    {
      name: 'providers',
      description: 'The model providers to install (their pydantic-ai-slim extras); the offline model is always there',
      values: ['anthropic', 'google', 'groq', 'openai'],
      default: 'openai',
      multiple: true,
    },
  ],
  pythonDependencies: [{ name: 'pydantic-ai-slim', extrasFrom: 'providers' }, 'rich'],
  pythonDevDependencies: [],
  envVars: [
    'AI_PROVIDER',
    'AI_MODEL',
    'ANTHROPIC_API_KEY',
    'GOOGLE_API_KEY',
    'GROQ_API_KEY',
    'OPENAI_API_KEY',
    'AI_SYSTEM_PROMPT',
    'AI_HISTORY_MAX_MESSAGES',
    'AI_REQUEST_TIMEOUT',
    'AI_RATE_LIMIT_PER_MINUTE',
    'AI_MEMORY_MAX_CONVERSATIONS',
  ],
  contributes: {
    health: [{ name: 'ai', module: 'app.services.ai.health', fn: 'check_ai' }],
    routers: [{ module: 'app.components.backend.api.ai.router', alias: 'ai_router' }],
    cli: [{ module: 'app.cli.ai', alias: 'ai_app', name: 'ai' }],
    pytest: { plugins: ['tests.ai_support'] },
  },
  // The providers (extras of pydantic-ai-slim), in the option's order.
  prepare: (values) => ({ providers: (values.providers ?? '').split(',').filter(Boolean) }),
  generator: 'ai',
};
