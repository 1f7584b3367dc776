import type { FeatureSpec } from './feature-spec.js';

export const backend: FeatureSpec = {
  name: 'backend',
  kind: 'core',
  description: 'FastAPI app with routers, /health and /health/detailed, OpenAPI docs',
  requires: [],
  options: [],
  pythonDependencies: ['fastapi', 'uvicorn', 'pydantic-settings', 'structlog', 'psutil', 'typer', 'httpx'],
  pythonDevDependencies: ['pytest', 'pytest-asyncio', 'ruff', 'mypy', 'types-psutil'],
  composeServices: ['webserver'],
  envVars: ['APP_ENV', 'DEBUG', 'LOG_LEVEL', 'LOG_FORMAT', 'HOST', 'PORT', 'DOCS_ENABLED', 'HEALTH_CHECK_TIMEOUT'],
  healthCheck: 'backend',
  generator: 'app',
};
