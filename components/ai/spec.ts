import type { FeatureSpec, OptionValues } from '../../shared/model/feature-spec.js';
import type { SettingEntry } from '../../shared/model/slots/settings.js';

const PROVIDERS = ['anthropic', 'google', 'groq', 'openai'];

/** The installed providers, in the option's order. */
const installed = (options: OptionValues): string[] => (options.providers ?? '').split(',').filter(Boolean);

/** One API key setting per provider, present when the provider is installed; the README has them in one row. */
function apiKey(provider: string): SettingEntry {
  const env = `${provider.toUpperCase()}_API_KEY`;
  return {
    env,
    when: ({ options }) => installed(options).includes(provider),
    field: { name: `${provider}_api_key`, type: 'SecretStr | None', default: 'None' },
    dotenv: { value: '', commented: true },
    readme: ({ options }) =>
      installed(options)[0] === provider
        ? { default: 'unset', notes: 'the key of the configured provider is required' }
        : { joinPrevious: true },
  };
}

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
      values: PROVIDERS,
      default: 'openai',
      multiple: true,
    },
  ],
  pythonDependencies: [{ name: 'pydantic-ai-slim', extrasFrom: 'providers' }, 'rich'],
  pythonDevDependencies: [],
  contributes: {
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    settings: {
      imports: [
        { module: 'pydantic', names: ['SecretStr'] },
        { module: 'app.services.ai.providers', names: ['AIProviderName'] },
      ],
      sections: [
        {
          heading: {
            config: 'AI chat: "offline" or an installed provider, which needs its API key',
            dotenv: 'AI chat: offline answers canned replies without a key; a provider needs its key',
          },
          entries: [
            {
              env: 'AI_PROVIDER',
              field: { name: 'ai_provider', type: 'AIProviderName', default: '"offline"' },
              dotenv: { value: 'offline' },
              readme: ({ options }) => ({
                default: '`offline`',
                notes: ['offline', ...installed(options)].map((name) => `\`${name}\``).join(', '),
              }),
            },
            {
              env: 'AI_MODEL',
              field: { name: 'ai_model', type: 'str | None', default: 'None', comment: "default: the provider's default model" },
              dotenv: { value: '', commented: true, above: ["The provider's default model unless set"] },
              readme: { default: "the provider's default" },
            },
            ...PROVIDERS.map(apiKey),
            {
              env: 'AI_SYSTEM_PROMPT',
              field: { name: 'ai_system_prompt', type: 'str', default: '"You are a helpful assistant. Answer concisely."' },
              dotenv: { value: 'You are a helpful assistant. Answer concisely.', commented: true },
              readme: { default: '`You are a helpful assistant. Answer concisely.`', notes: "the agent's instructions" },
            },
            {
              env: 'AI_HISTORY_MAX_MESSAGES',
              field: { name: 'ai_history_max_messages', type: 'int', default: 'Field(default=20, ge=0)', comment: 'sent back to the model' },
              dotenv: { value: '20' },
              readme: { default: '`20`', notes: 'stored messages sent back to the model' },
            },
            {
              env: 'AI_REQUEST_TIMEOUT',
              field: { name: 'ai_request_timeout', type: 'float', default: 'Field(default=60.0, gt=0)', comment: 'seconds per request' },
              dotenv: { value: '60' },
              readme: { default: '`60`', notes: 'seconds per model request' },
            },
            {
              // With auth the routes need a user instead.
              env: 'AI_RATE_LIMIT_PER_MINUTE',
              when: ({ has }) => !has.auth,
              field: { name: 'ai_rate_limit_per_minute', type: 'int', default: 'Field(default=20, ge=1)', comment: 'chat messages per IP' },
              dotenv: { value: '20' },
              readme: { default: '`20`', notes: 'chat messages per client IP' },
            },
            {
              // With the database, conversations are stored there.
              env: 'AI_MEMORY_MAX_CONVERSATIONS',
              when: ({ has }) => !has.database,
              field: { name: 'ai_memory_max_conversations', type: 'int', default: 'Field(default=100, ge=1)', comment: 'oldest evicted' },
              dotenv: { value: '100' },
              readme: { default: '`100`', notes: 'conversations kept in memory' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'ai', module: 'app.services.ai.health', fn: 'check_ai', summary: "the chat provider's setup" }],
    readme: {
      section: { fragment: 'contrib/README.md.ejs' },
      layout: { lines: ['  services/ai/          AI chat: providers, agent, conversations; api/ai/ the routes'], order: 1 },
    },
    routers: [{ module: 'app.components.backend.api.ai.router', alias: 'ai_router' }],
    cli: [{ module: 'app.cli.ai', alias: 'ai_app', name: 'ai' }],
    pytest: { plugins: ['tests.ai_support'] },
    // Its tables exist with the database only (templates-with-database/app/models/ai.py).
    models: { modules: ['app.models.ai'] },
  },
  // The providers (extras of pydantic-ai-slim), in the option's order.
  prepare: (values) => {
    const providers = (values.providers ?? '').split(',').filter(Boolean);
    return { providers, keys: providers.map((provider) => ({ provider, variable: `${provider.toUpperCase()}_API_KEY` })) };
  },
};
