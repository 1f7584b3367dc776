import type { FeatureSpec } from './feature-spec.js';

export const frontend: FeatureSpec = {
  name: 'frontend',
  kind: 'core',
  description: 'Flet dashboard at /dashboard with a live health card per component',
  requires: [{ name: 'backend' }],
  options: [],
  pythonDependencies: ['flet', 'flet-web'],
  pythonDevDependencies: [],
  composeServices: [],
  envVars: ['DASHBOARD_ENABLED', 'DASHBOARD_REFRESH_SECONDS'],
  healthCheck: 'frontend',
  generator: 'app',
};
