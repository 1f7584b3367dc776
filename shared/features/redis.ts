import type { FeatureSpec } from './feature-spec.js';

export const redis: FeatureSpec = {
  name: 'redis',
  kind: 'component',
  description: 'Redis server for queues and caching, with its health (ping, memory, clients) on the dashboard',
  requires: [],
  options: [],
  pythonDependencies: ['redis'],
  pythonDevDependencies: [],
  composeServices: ['redis'],
  envVars: ['REDIS_URL', 'REDIS_CONNECT_TIMEOUT_SECONDS'],
  healthCheck: 'redis',
  runCommand: { command: 'make redis', description: 'a local Redis with docker compose, if none is running' },
  generator: 'redis',
};
