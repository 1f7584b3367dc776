import type { FeatureSpec } from '../../shared/model/feature-spec.js';

export const observability: FeatureSpec = {
  name: 'observability',
  kind: 'component',
  description:
    'OpenTelemetry tracing of every request and request metrics (OTLP over HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set), trace ids in the logs, Prometheus metrics at /metrics',
  requires: [],
  options: [],
  pythonDependencies: [
    'opentelemetry-sdk',
    'opentelemetry-exporter-otlp-proto-http',
    'opentelemetry-instrumentation-fastapi',
    // Pure Python, importing nothing until used: libraries.py instruments SQLAlchemy and Redis only in projects with them.
    'opentelemetry-instrumentation-httpx',
    'opentelemetry-instrumentation-sqlalchemy',
    'opentelemetry-instrumentation-redis',
    'prometheus-client',
  ],
  pythonDevDependencies: [],
  contributes: {
    settings: {
      sections: [
        {
          heading: { config: 'Observability', dotenv: 'Observability: traces and metrics go to an OTLP/HTTP collector when its URL is set' },
          entries: [
            {
              env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
              field: { name: 'otel_exporter_otlp_endpoint', type: 'str', default: '""', comment: 'empty: no export' },
              dotenv: { value: 'http://127.0.0.1:4318', commented: true, above: ['Unset: spans and metrics are not exported (spans printed to stderr with DEBUG=true)'] },
              readme: { default: 'not exporting', notes: 'an OTLP/HTTP collector, e.g. `http://127.0.0.1:4318`; spans go to `<url>/v1/traces`, metrics to `<url>/v1/metrics` (every 60 s)' },
            },
          ],
        },
      ],
    },
    lifespan: [{ module: 'app.components.observability.tracing', fn: 'observability_lifespan', argument: 'app', order: -2 }],
    health: [
      {
        name: 'observability',
        module: 'app.components.observability.health',
        fn: 'check_observability',
        summary: 'tracing: the tracer provider, where spans and metrics go',
      },
    ],
    routers: [{ module: 'app.components.observability.metrics', alias: 'metrics_router' }],
    mypy: [{ comment: 'No type information in the package.', modules: ['opentelemetry.instrumentation.sqlalchemy', 'opentelemetry.instrumentation.sqlalchemy.*'] }],
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    // The collector the web server sends its spans to under docker compose.
    compose: {
      services: [{ name: 'otel-collector' }],
      fragment: 'contrib/compose.yml.ejs',
      environment: [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector:4318' }],
      dependsOn: [{ service: 'otel-collector', condition: 'service_started' }],
      production: 'contrib/compose.prod.yml.ejs',
    },
    readme: {
      section: { fragment: 'contrib/README.md.ejs' },
      layout: { lines: ['  components/observability/  OpenTelemetry tracing, /metrics and their health check'] },
    },
  },
};
