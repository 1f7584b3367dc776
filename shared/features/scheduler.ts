import type { FeatureSpec } from './feature-spec.js';

export const scheduler: FeatureSpec = {
  name: 'scheduler',
  kind: 'component',
  description: 'APScheduler process for recurring jobs, with its health (jobs, next runs) on the dashboard',
  requires: [],
  options: [
    {
      name: 'persistence',
      description: 'Where jobs are stored: in memory, or a SQLite job store in the data folder',
      values: ['memory', 'sqlite'],
      default: 'memory',
    },
  ],
  pythonDependencies: ['apscheduler', { name: 'sqlalchemy', when: { persistence: 'sqlite' } }],
  pythonDevDependencies: [],
  envVars: ['SCHEDULER_PERSISTENCE', 'SCHEDULER_STATUS_PATH', 'SCHEDULER_HEARTBEAT_SECONDS'],
  contributes: {
    health: [{ name: 'scheduler', module: 'app.components.scheduler_health', fn: 'check_scheduler' }],
    mypy: [{ comment: 'APScheduler 3 ships no type information.', modules: ['apscheduler', 'apscheduler.*'] }],
    make: { fragment: 'contrib/Makefile.ejs' },
    compose: { services: [{ name: 'scheduler' }], fragment: 'contrib/compose.yml.ejs', production: 'contrib/compose.prod.yml.ejs' },
  },
  runCommand: { command: 'make scheduler', description: 'the scheduled jobs, in another terminal' },
  generator: 'scheduler',
};
