import type { FeatureSpec } from './feature-spec.js';

/** Its queues, one compose service each. */
const QUEUES = [
  { name: 'system', service: 'worker-system' },
  { name: 'load_test', service: 'worker-load-test' },
] as const;

export const worker: FeatureSpec = {
  name: 'worker',
  kind: 'component',
  description: 'arq background queues (system, load_test) on Redis, a job API, a load test and queue health',
  requires: [{ name: 'redis' }],
  options: [],
  pythonDependencies: ['arq'],
  pythonDevDependencies: [],
  envVars: [
    'WORKER_QUEUE_PREFIX',
    'WORKER_MAX_TRIES',
    'WORKER_JOB_TIMEOUT_SECONDS',
    'WORKER_RETRY_BACKOFF_SECONDS',
    'WORKER_KEEP_RESULT_SECONDS',
    'WORKER_HEALTH_CHECK_INTERVAL_SECONDS',
    'WORKER_MAX_JOBS',
    'WORKER_PROBE_URLS',
  ],
  contributes: {
    health: [{ name: 'worker', module: 'app.components.worker.health', fn: 'check_worker' }],
    routers: [
      { module: 'app.components.backend.api.worker', alias: 'worker_router' },
      { module: 'app.components.backend.api.load_test', alias: 'load_test_router' },
    ],
    lifespan: [{ module: 'app.components.worker.client', fn: 'worker_lifespan', argument: 'app' }],
    cli: [
      { module: 'app.cli.worker', alias: 'worker_app', name: 'worker' },
      { module: 'app.cli.load_test', alias: 'load_test_app', name: 'load-test' },
    ],
    pytest: { plugins: ['tests.worker_support'] },
    make: { fragment: 'contrib/Makefile.ejs' },
    // After the database's services.
    compose: {
      services: QUEUES.map((queue) => ({ name: queue.service })),
      fragment: 'contrib/compose.yml.ejs',
      adminPaths: ['/api/worker', '/api/load-test'],
      production: 'contrib/compose.prod.yml.ejs',
      order: 1,
    },
  },
  prepare: () => ({ queues: QUEUES }),
  runCommand: { command: 'make worker-system', description: 'the system queue worker, in another terminal' },
  generator: 'worker',
};
