import type { FeatureSpec } from './feature-spec.js';

export const redis: FeatureSpec = {
  name: 'redis',
  kind: 'component',
  description: 'Redis server for queues and caching, with its health (ping, memory, clients) on the dashboard',
  requires: [],
  options: [],
  pythonDependencies: ['redis'],
  pythonDevDependencies: [],
  envVars: ['REDIS_URL', 'REDIS_CONNECT_TIMEOUT_SECONDS'],
  contributes: {
    health: [{ name: 'redis', module: 'app.components.redis.health', fn: 'check_redis' }],
    pytest: {
      plugins: ['tests.redis_support'],
      markers: ['redis: needs a Redis server at REDIS_URL; skipped when it cannot be reached'],
    },
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
  generator: 'redis',
};
