/** @type {import('generator-aegis/testing').FeatureSpec} */
export const featureflags = {
  name: 'featureflags',
  kind: 'component',
  description: 'Feature flags: require_flag() on routes, /api/flags, `flags` CLI, a dashboard card; from FEATURE_FLAGS, or switched at run time in Redis',
  requires: [{ name: 'redis', when: { store: 'redis' } }],
  options: [
    {
      name: 'store',
      description: 'Where flags are read: the FEATURE_FLAGS setting, or Redis (switched at run time, FEATURE_FLAGS the defaults)',
      values: ['settings', 'redis'],
      default: 'settings',
    },
  ],
  pythonDependencies: [],
  pythonDevDependencies: [],
  prepare: (values) => ({ redis: values.store === 'redis' }),
  contributes: {
    settings: {
      sections: [
        {
          heading: { config: 'Feature flags', dotenv: 'Feature flags (aegis-plugin-featureflags): the names of the flags that are on' },
          entries: [
            {
              env: 'FEATURE_FLAGS',
              field: { name: 'feature_flags', type: 'str', default: '""' },
              dotenv: { value: '' },
              readme: { default: 'empty', notes: 'comma-separated names, e.g. `beta,new_checkout`' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'featureflags', module: 'app.components.featureflags.health', fn: 'check_featureflags', summary: 'the flags that are on' }],
    routers: [{ module: 'app.components.featureflags.router', alias: 'featureflags_router' }],
    cli: [{ module: 'app.cli.flags', alias: 'flags_app', name: 'flags' }],
  },
};
