import type { FeatureSpec } from '../../shared/model/feature-spec.js';

export const scheduler: FeatureSpec = {
  name: 'scheduler',
  kind: 'component',
  description: 'APScheduler process for recurring jobs, with its health (jobs, next runs) on the dashboard',
  // Jobs on PostgreSQL live in the project's own database (DATABASE_URL): that needs the database on PostgreSQL.
  requires: [{ name: 'database', options: { engine: 'postgres' }, when: { persistence: 'postgres' } }],
  options: [
    {
      name: 'persistence',
      description:
        "Where jobs are stored: in memory, a SQLite job store in the data folder, or the project's PostgreSQL database (brings database[engine=postgres])",
      values: ['memory', 'sqlite', 'postgres'],
      default: 'memory',
    },
  ],
  // APScheduler 3 is synchronous: its PostgreSQL job store talks through psycopg (3), not the app's asyncpg.
  pythonDependencies: [
    'apscheduler',
    { name: 'sqlalchemy', when: { persistence: 'sqlite' } },
    { name: 'sqlalchemy', when: { persistence: 'postgres' } },
    { name: 'psycopg', when: { persistence: 'postgres' } },
  ],
  pythonDevDependencies: [],
  contributes: {
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    settings: {
      imports: [{ module: 'typing', names: ['Literal'] }],
      // "postgres" only where the project has the PostgreSQL database it stores jobs in.
      definitions: ({ options }) => [
        options.persistence === 'postgres'
          ? 'SchedulerPersistence = Literal["memory", "sqlite", "postgres"]'
          : 'SchedulerPersistence = Literal["memory", "sqlite"]',
      ],
      sections: [
        {
          heading: { config: 'Scheduler', dotenv: 'Scheduler (make scheduler)' },
          entries: [
            {
              env: 'SCHEDULER_PERSISTENCE',
              field: { name: 'scheduler_persistence', type: 'SchedulerPersistence', default: ({ options }) => `"${options.persistence}"` },
              dotenv: ({ options }) => ({
                value: options.persistence!,
                commented: true,
                above:
                  options.persistence === 'postgres'
                    ? [
                        'Job store: memory (jobs are added again on each start), sqlite (jobs are kept',
                        'in SCHEDULER_DATA_DIR/scheduler.sqlite) or postgres (jobs are kept in the table',
                        'scheduler.apscheduler_jobs of the DATABASE_URL database); defaults to the one in',
                        'app/core/config.py',
                      ]
                    : [
                        'Job store: memory (jobs are added again on each start) or sqlite (jobs are kept',
                        'in SCHEDULER_DATA_DIR/scheduler.sqlite); defaults to the one in app/core/config.py',
                      ],
              }),
              readme: ({ options }) => ({
                default: `\`${options.persistence}\``,
                notes: options.persistence === 'postgres' ? '`memory`, `sqlite` or `postgres` (in `DATABASE_URL`)' : '`memory` or `sqlite`',
              }),
            },
            {
              env: 'SCHEDULER_DATA_DIR',
              field: { name: 'scheduler_data_dir', type: 'Path', default: 'Path("data")', imports: [{ module: 'pathlib', names: ['Path'] }] },
              dotenv: { value: 'data' },
              readme: { default: '`data`', notes: 'holds `scheduler.sqlite`' },
            },
            {
              env: 'SCHEDULER_STATUS_PATH',
              field: {
                name: 'scheduler_status_path',
                type: 'Path',
                default: 'Path("data/scheduler-status.json")',
                imports: [{ module: 'pathlib', names: ['Path'] }],
              },
              dotenv: { value: 'data/scheduler-status.json' },
              readme: { default: '`data/scheduler-status.json`', notes: 'read by the `scheduler` health check' },
            },
            {
              env: 'SCHEDULER_HEARTBEAT_SECONDS',
              field: { name: 'scheduler_heartbeat_seconds', type: 'float', default: 'Field(default=30.0, gt=0)' },
              dotenv: { value: '30' },
              readme: { default: '`30`', notes: 'how often the status file is rewritten' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'scheduler', module: 'app.components.scheduler_health', fn: 'check_scheduler', summary: 'see below' }],
    readme: {
      run: ['make scheduler          # in another terminal: the scheduled jobs'],
      commands: { lines: ['make scheduler    # run the scheduler process'], order: -1 },
      section: { fragment: 'contrib/README.md.ejs' },
      docker: " The scheduler runs from the same image, so the web\nserver's health check sees its status file there.",
      layout: { lines: ['  components/scheduler* jobs (scheduler.py), status file and check (scheduler_health.py)'] },
      entrypoint: 'scheduler.py (APScheduler)',
    },
    mypy: [{ comment: 'APScheduler 3 ships no type information.', modules: ['apscheduler', 'apscheduler.*'] }],
    make: { fragment: 'contrib/Makefile.ejs' },
    compose: { services: [{ name: 'scheduler' }], fragment: 'contrib/compose.yml.ejs', production: 'contrib/compose.prod.yml.ejs' },
  },
  runCommand: { command: 'make scheduler', description: 'the scheduled jobs, in another terminal' },
  prepare: (values) => ({
    persistence: values.persistence ?? 'memory',
    sqlite: values.persistence === 'sqlite',
    postgres: values.persistence === 'postgres',
  }),
};
