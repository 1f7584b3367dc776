import type { FeatureSpec } from '../shared/model/feature-spec.js';

export const backend: FeatureSpec = {
  name: 'backend',
  kind: 'core',
  description: 'FastAPI app with routers, /health and /health/detailed, OpenAPI docs',
  requires: [],
  options: [],
  pythonDependencies: ['fastapi', 'uvicorn', 'pydantic-settings', 'structlog', 'psutil', 'typer', 'httpx'],
  pythonDevDependencies: ['pytest', 'pytest-asyncio', 'pytest-cov', 'ruff', 'mypy', 'types-psutil'],
  contributes: {
    settings: {
      sections: [
        {
          heading: 'Application',
          entries: [
            { env: 'APP_NAME', field: { name: 'app_name', type: 'str', text: ({ project }) => project.name } },
            { env: 'APP_DESCRIPTION', field: { name: 'app_description', type: 'str', text: ({ project }) => project.description } },
            {
              env: 'APP_ENV',
              field: { name: 'app_env', type: 'Environment', default: 'Environment.DEVELOPMENT' },
              dotenv: { value: 'development' },
              readme: { default: '`development`', notes: '`development` or `production`' },
            },
            {
              env: 'DEBUG',
              field: { name: 'debug', type: 'bool', default: 'False' },
              dotenv: { value: 'false' },
              readme: { default: '`false`', notes: 'refused (startup error) when `APP_ENV=production`' },
            },
            {
              env: 'LOG_LEVEL',
              field: { name: 'log_level', type: 'LogLevel', default: '"INFO"' },
              dotenv: { value: 'INFO' },
              readme: { default: '`INFO`', notes: '' },
            },
            {
              env: 'LOG_FORMAT',
              field: { name: 'log_format', type: 'LogFormat | None', default: 'None' },
              dotenv: { value: 'console', commented: true, above: ['console or json; defaults to json in production, console otherwise'] },
              readme: { default: 'console in development, JSON in production', notes: '`console` or `json`' },
            },
          ],
        },
        {
          heading: 'Web server',
          entries: [
            {
              env: 'HOST',
              field: { name: 'host', type: 'str', default: '"127.0.0.1"' },
              dotenv: { value: '127.0.0.1' },
              readme: { default: '`127.0.0.1`', notes: 'the Docker image uses `0.0.0.0`' },
            },
            {
              env: 'PORT',
              field: { name: 'port', type: 'int', default: 'Field(default=8000, ge=1, le=65535)' },
              dotenv: { value: '8000' },
              readme: { default: '`8000`', joinPrevious: true },
            },
            {
              env: 'ACCESS_LOG',
              field: {
                name: 'access_log',
                type: 'bool',
                default: 'False',
                above: ["uvicorn's line per request: off by default, it costs about half the", "throughput of a cheap route such as /health."],
              },
              dotenv: { value: 'false', above: ['A log line per request (uvicorn access log); it halves /health throughput'] },
              readme: { default: '`false`', notes: 'a log line per request; it costs about half the throughput of `/health`' },
            },
            {
              env: 'DOCS_ENABLED',
              field: { name: 'docs_enabled', type: 'bool | None', default: 'None' },
              dotenv: { value: 'true', commented: true, above: ['Defaults to on in development and off in production'] },
              readme: { default: 'on in development, off in production', notes: '`/docs`, `/redoc`, `/openapi.json`' },
            },
            {
              // Without a feature providing the admin guard (auth), the admin API has no login: on outside production.
              env: 'ADMIN_API_ENABLED',
              when: ({ defaultAdminGuard }) => defaultAdminGuard,
              field: {
                name: 'admin_api_enabled',
                type: 'bool | None',
                default: 'None',
                above: [
                  'Admin API (the worker\'s job and load-test endpoints, any route depending',
                  'on require_admin): there is no login without auth, so it is served only',
                  'outside production unless enabled here.',
                ],
              },
              dotenv: {
                value: 'false',
                commented: true,
                above: [
                  'Admin API (worker jobs, load tests): without auth it has no login, so it',
                  'defaults to on in development and off in production; true serves it anyway',
                ],
              },
              readme: ({ has }) => ({
                default: 'on in development, off in production',
                notes: `the admin API (routes depending on \`require_admin\`${has.worker ? ': worker jobs, load tests' : ''}); there is no login without auth`,
              }),
            },
          ],
        },
        {
          heading: 'Health checks',
          entries: [
            {
              env: 'HEALTH_CHECK_TIMEOUT',
              field: { name: 'health_check_timeout', type: 'float', default: 'Field(default=5.0, gt=0)' },
              dotenv: { value: '5.0' },
              readme: { default: '`5.0`', notes: 'seconds per check' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'backend', module: 'app.components.backend.health', fn: 'check_backend', summary: 'the API process' }],
    // The health router and CLI group come after every other one.
    routers: [{ module: 'app.components.backend.api.health', alias: 'health_router', order: 1 }],
    cli: [{ module: 'app.cli.health', alias: 'health_app', name: 'health', order: 1 }],
    // The base docker-compose.yml's own service.
    compose: { services: [{ name: 'webserver' }] },
  },
};
