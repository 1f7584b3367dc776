import type { FeatureSpec } from './feature-spec.js';

export const backend: FeatureSpec = {
  name: 'backend',
  kind: 'core',
  description: 'FastAPI app with routers, /health and /health/detailed, OpenAPI docs',
  requires: [],
  options: [],
  pythonDependencies: ['fastapi', 'uvicorn', 'pydantic-settings', 'structlog', 'psutil', 'typer', 'httpx'],
  pythonDevDependencies: ['pytest', 'pytest-asyncio', 'ruff', 'mypy', 'types-psutil'],
  envVars: ['APP_ENV', 'DEBUG', 'LOG_LEVEL', 'LOG_FORMAT', 'HOST', 'PORT', 'DOCS_ENABLED', 'HEALTH_CHECK_TIMEOUT'],
  contributes: {
    health: [{ name: 'backend', module: 'app.components.backend.health', fn: 'check_backend' }],
    // The health router and CLI group come after every other one.
    routers: [{ module: 'app.components.backend.api.health', alias: 'health_router', order: 1 }],
    cli: [{ module: 'app.cli.health', alias: 'health_app', name: 'health', order: 1 }],
    // The base docker-compose.yml's own service.
    compose: { services: [{ name: 'webserver' }] },
  },
  generator: 'app',
};
