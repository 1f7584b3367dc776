import type { FeatureSpec } from '../shared/model/feature-spec.js';

export const frontend: FeatureSpec = {
  name: 'frontend',
  kind: 'core',
  description: 'Flet dashboard at /dashboard with a live health card per component',
  requires: [{ name: 'backend' }],
  options: [],
  pythonDependencies: ['flet', 'flet-web'],
  pythonDevDependencies: [],
  contributes: {
    // Its settings come last in config.py and .env.example, after the ingress'; in the README table, after the backend's.
    settings: {
      sections: [
        {
          heading: 'Dashboard',
          order: 2,
          readmeOrder: 0,
          entries: [
            {
              env: 'DASHBOARD_ENABLED',
              field: { name: 'dashboard_enabled', type: 'bool', default: 'True' },
              dotenv: { value: 'true' },
              readme: { default: '`true`', notes: '' },
            },
            {
              env: 'DASHBOARD_REFRESH_SECONDS',
              field: { name: 'dashboard_refresh_seconds', type: 'float', default: 'Field(default=5.0, gt=0)' },
              dotenv: { value: '5' },
              readme: { default: '`5`', notes: '' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'frontend', module: 'app.components.frontend.health', fn: 'check_frontend', summary: "the dashboard's web\nclient is bundled locally" }],
    // The dashboard is entered last, after the resources it shows.
    lifespan: [{ module: 'app.components.frontend.mount', fn: 'dashboard_lifespan', argument: 'settings', order: 1 }],
  },
};
