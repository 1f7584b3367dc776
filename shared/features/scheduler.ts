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
  composeServices: ['scheduler'],
  envVars: ['SCHEDULER_PERSISTENCE', 'SCHEDULER_STATUS_PATH', 'SCHEDULER_HEARTBEAT_SECONDS'],
  healthCheck: 'scheduler',
  runCommand: { command: 'make scheduler', description: 'the scheduled jobs, in another terminal' },
  generator: 'scheduler',
};
