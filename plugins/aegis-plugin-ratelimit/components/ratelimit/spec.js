/** @type {import('generator-aegis/testing').FeatureSpec} */
export const ratelimit = {
  name: 'ratelimit',
  kind: 'component',
  description: 'Per-route rate limiting (a FastAPI dependency, 429 with Retry-After): in Redis when the project has redis, else in memory',
  requires: [],
  options: [],
  pythonDependencies: [],
  pythonDevDependencies: [],
  contributes: {
    settings: {
      sections: [
        {
          heading: { config: 'Rate limiting', dotenv: 'Rate limiting (aegis-plugin-ratelimit): requests per client and route' },
          entries: [
            {
              env: 'RATE_LIMIT_ENABLED',
              field: { name: 'rate_limit_enabled', type: 'bool', default: 'True' },
              dotenv: { value: 'true' },
              readme: { default: '`true`' },
            },
            {
              env: 'RATE_LIMIT_PER_MINUTE',
              field: { name: 'rate_limit_per_minute', type: 'int', default: 'Field(default=60, gt=0)' },
              dotenv: { value: '60' },
              readme: { default: '`60`', notes: 'routes may set their own limit' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'ratelimit', module: 'app.components.ratelimit.health', fn: 'check_ratelimit', summary: 'its backend and default limit' }],
    routers: [{ module: 'app.components.ratelimit.router', alias: 'ratelimit_router' }],
    lifespan: [{ module: 'app.components.ratelimit.dependency', fn: 'ratelimit_lifespan', argument: 'app' }],
  },
};
