import type { FeatureSpec } from './feature-spec.js';

export const frontend: FeatureSpec = {
  name: 'frontend',
  kind: 'core',
  description: 'Flet dashboard at /dashboard with a live health card per component',
  requires: [{ name: 'backend' }],
  options: [],
  pythonDependencies: ['flet', 'flet-web'],
  pythonDevDependencies: [],
  envVars: ['DASHBOARD_ENABLED', 'DASHBOARD_REFRESH_SECONDS'],
  contributes: {
    health: [{ name: 'frontend', module: 'app.components.frontend.health', fn: 'check_frontend' }],
    // The dashboard is entered last, after the resources it shows.
    lifespan: [{ module: 'app.components.frontend.mount', fn: 'dashboard_lifespan', argument: 'settings', order: 1 }],
  },
  generator: 'app',
};
