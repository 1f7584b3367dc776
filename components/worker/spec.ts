import type { FeatureSpec } from '../../shared/model/feature-spec.js';

/** Its queues, one compose service each. */
const QUEUES = [
  { name: 'system', service: 'worker-system' },
  { name: 'load_test', service: 'worker-load-test' },
] as const;

/** Each backend's name as its docs spell it, and where they are. */
const BACKENDS: Readonly<Record<string, { readonly title: string; readonly docs: string }>> = {
  arq: { title: 'arq', docs: 'https://arq-docs.helpmanual.io/' },
  taskiq: { title: 'taskiq', docs: 'https://taskiq-python.github.io/' },
  dramatiq: { title: 'Dramatiq', docs: 'https://dramatiq.io/' },
};

/** What a job raises to be tried again later (`retry_on` raises it for transient errors). */
const RETRY_ERRORS: Readonly<Record<string, string>> = { arq: 'arq.Retry', taskiq: 'RetryJob', dramatiq: 'RetryJob' };

export const worker: FeatureSpec = {
  name: 'worker',
  kind: 'component',
  description: 'Background queues (system, load_test) on Redis with arq, taskiq or dramatiq, a job API, a load test and queue health',
  requires: [{ name: 'redis' }],
  options: [
    {
      name: 'backend',
      description:
        'The job library: arq (the default: one small dependency, job status and retries built in), taskiq (maintained, redis-py 8), or dramatiq (maintained, redis-py 8, its Redis broker)',
      values: ['arq', 'taskiq', 'dramatiq'],
      default: 'arq',
    },
  ],
  // Each backend brings its own Redis client, as high as it allows (versions.ts): arq holds redis-py below 6.
  pythonDependencies: [
    { name: 'arq', when: { backend: 'arq' } },
    { name: 'taskiq', when: { backend: 'taskiq' } },
    { name: 'taskiq-redis', when: { backend: 'taskiq' } },
    { name: 'redis', when: { backend: 'taskiq' }, pin: 'taskiq' },
    { name: 'dramatiq', when: { backend: 'dramatiq' } },
    { name: 'redis', when: { backend: 'dramatiq' }, pin: 'dramatiq' },
  ],
  pythonDevDependencies: [],
  contributes: {
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    settings: {
      imports: [
        { module: 'typing', names: ['Annotated'] },
        { module: 'pydantic', names: ['StringConstraints'] },
      ],
      definitions: [
        '# Queue names are "<prefix>:queue:<name>"; keys stay readable and unambiguous.',
        'QueuePrefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]+$")]',
      ],
      sections: [
        {
          heading: { config: 'Worker', dotenv: 'Worker (make worker-system, make worker-load-test)' },
          entries: [
            {
              env: 'WORKER_QUEUE_PREFIX',
              field: { name: 'worker_queue_prefix', type: 'QueuePrefix', text: ({ project }) => project.name },
              dotenv: ({ project }) => ({
                value: project.name,
                above: ['Queue names are WORKER_QUEUE_PREFIX:queue:<name>, so projects can share a Redis'],
              }),
              readme: ({ project }) => ({ default: `\`${project.name}\``, notes: 'queue names are `<prefix>:queue:<name>`' }),
            },
            {
              env: 'WORKER_DEFAULT_QUEUE',
              when: ({ options }) => options.backend === 'arq',
              field: {
                name: 'worker_default_queue',
                type: 'str',
                default: '"arq:queue"',
                above: ["arq's default queue, which the system worker also reads (\"\": none)."],
              },
              dotenv: {
                value: 'arq:queue',
                above: [
                  "arq's default queue (where enqueue_job puts a job without _queue_name): the system worker",
                  'reads it too, unless another project on this Redis database already does; empty: none',
                ],
              },
              readme: { default: '`arq:queue`', notes: "arq's default queue, also read by the system worker (one project per Redis database); empty: none" },
            },
            {
              env: 'WORKER_MAX_TRIES',
              field: { name: 'worker_max_tries', type: 'int', default: 'Field(default=3, ge=1)' },
              dotenv: { value: '3' },
              readme: { default: '`3`', notes: 'tries per job before it is reported failed' },
            },
            {
              env: 'WORKER_JOB_TIMEOUT_SECONDS',
              field: { name: 'worker_job_timeout_seconds', type: 'float', default: 'Field(default=300.0, gt=0)' },
              dotenv: { value: '300' },
              readme: { default: '`300`' },
            },
            {
              env: 'WORKER_RETRY_BACKOFF_SECONDS',
              field: { name: 'worker_retry_backoff_seconds', type: 'float', default: 'Field(default=2.0, ge=0)' },
              dotenv: { value: '2' },
              readme: { default: '`2`', notes: 'try N waits N times this long' },
            },
            {
              env: 'WORKER_KEEP_RESULT_SECONDS',
              field: { name: 'worker_keep_result_seconds', type: 'float', default: 'Field(default=3600.0, gt=0)' },
              dotenv: { value: '3600' },
              readme: { default: '`3600`', notes: 'how long results stay readable' },
            },
            {
              env: 'WORKER_HEALTH_CHECK_INTERVAL_SECONDS',
              field: { name: 'worker_health_check_interval_seconds', type: 'float', default: 'Field(default=10.0, gt=0)' },
              dotenv: { value: '10' },
              readme: { default: '`10`', notes: 'worker heartbeat interval' },
            },
            {
              env: 'WORKER_MAX_JOBS',
              field: { name: 'worker_max_jobs', type: 'int', default: 'Field(default=10, ge=1)' },
              dotenv: { value: '10' },
              readme: { default: '`10`', notes: 'concurrent jobs per worker process' },
            },
            {
              env: 'WORKER_PROBE_URLS',
              field: {
                name: 'worker_probe_urls',
                type: 'list[HttpUrl]',
                default: 'Field(\n        default_factory=lambda: [HttpUrl("http://127.0.0.1:8000/health")]\n    )',
                above: ['The only URLs the probe_url job fetches (a JSON list); others are refused.'],
                imports: [{ module: 'pydantic', names: ['HttpUrl'] }],
              },
              dotenv: ({ has, project }) => ({
                value: '["http://127.0.0.1:8000/health"]',
                above: ['The only URLs the probe_url job may fetch (a JSON list); others are refused'],
                after: has.auth
                  ? [
                      'Job submission and load tests need a superuser\'s token:',
                      `uv run ${project.name} auth create-user --email admin@example.com --superuser`,
                    ]
                  : [],
              }),
              readme: { default: '`["http://127.0.0.1:8000/health"]`', notes: 'the only URLs the `probe_url` job fetches (JSON list)' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'worker', module: 'app.components.worker.health', fn: 'check_worker' }],
    readme: {
      run: ["make worker-system      # in another terminal: the system queue's worker"],
      commands: {
        lines: [
          'make worker-system     # run the worker of the system queue',
          'make worker-load-test  # run the worker of the load_test queue',
          'make load-test N=500 KIND=cpu  # enqueue load-test jobs and report jobs/s',
        ],
        order: -1,
      },
      section: { fragment: 'contrib/README.md.ejs' },
      layout: {
        lines: [
          '  components/worker/    job queues (queues/), jobs API helpers, retry, health',
          '  services/load_test.py the load test behind `load-test run` and POST /api/load-test',
        ],
        order: 1,
      },
      entrypoint: 'worker.py (one queue\'s worker)',
    },
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
  prepare: (values) => {
    const backend = values.backend ?? 'arq';
    return {
      queues: QUEUES,
      backend,
      arq: backend === 'arq',
      taskiq: backend === 'taskiq',
      dramatiq: backend === 'dramatiq',
      library: BACKENDS[backend],
      retryError: RETRY_ERRORS[backend],
    };
  },
  runCommand: { command: 'make worker-system', description: 'the system queue worker, in another terminal' },
};
