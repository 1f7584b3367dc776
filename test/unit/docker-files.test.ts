/**
 * There is no Docker engine on the machines this suite runs on, so the generated Dockerfile and compose file are
 * checked here by parsing and by their structure, not by building or starting containers.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { render, renderedText } from '../../shared/engine/render.js';

const tree = render(normalizeAnswers({ name: 'orders-api', pythonVersion: '3.12' }), { generatorVersion: '0.0.0' });

interface ComposeService {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  image?: string;
  env_file?: Array<{ path: string; required: boolean }>;
  ports?: string[];
  healthcheck?: { test: string[]; interval: string; retries: number };
}

describe('docker-compose.yml (parsed; not run: no Docker engine here)', () => {
  const compose = yaml.load(renderedText(tree, 'docker-compose.yml')) as { services: Record<string, ComposeService> };

  it('has a webserver built from the project, with an optional .env, a port and a health check', () => {
    const webserver = compose.services.webserver!;
    expect(webserver.build).toBe('.');
    expect(webserver.image).toBe('orders-api:latest');
    expect(webserver.env_file).toEqual([{ path: '.env', required: false }]);
    expect(webserver.ports).toEqual(['${PORT:-8000}:8000']);
    expect(webserver.healthcheck?.test).toEqual(['CMD', 'python', '-m', 'app.entrypoints.probe', 'http://127.0.0.1:8000/health']);
  });
});

describe('docker-compose.yml with the worker (parsed; not run: no Docker engine here)', () => {
  const withWorker = render(normalizeAnswers({ name: 'orders-api', pythonVersion: '3.12', components: ['worker'] }), {
    generatorVersion: '0.0.0',
  });
  const compose = yaml.load(renderedText(withWorker, 'docker-compose.yml')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };

  it('runs a capped Redis that does not evict queued jobs, published on loopback only, with a health check', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:\d+\.\d+-alpine$/);
    expect(redis.command).toEqual(['redis-server', '--maxmemory', '256mb', '--maxmemory-policy', 'noeviction', '--appendonly', 'yes']);
    expect(redis.ports).toEqual(['127.0.0.1:${REDIS_PORT:-6379}:6379']);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis.volumes).toEqual(['redis-data:/data']);
  });

  it('runs one worker per queue, reaching Redis by its service name once it is healthy, probing only the web server', () => {
    for (const [service, queue] of [['worker-system', 'system'], ['worker-load-test', 'load_test']] as const) {
      const worker = compose.services[service]!;
      expect(worker.command).toEqual(['python', '-m', 'app.entrypoints.worker', queue]);
      expect(worker.environment).toEqual({ REDIS_URL: 'redis://redis:6379/0', WORKER_PROBE_URLS: '["http://webserver:8000/health"]' });
      expect(worker.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
      expect(worker.healthcheck?.test).toEqual(['CMD', 'python', '-m', 'app.entrypoints.worker', queue, '--check']);
    }
    expect(compose.services.webserver!.environment?.REDIS_URL).toBe('redis://redis:6379/0');
    expect(compose.services.webserver!.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
  });

  it('declares every named volume a service mounts', () => {
    const mounted = Object.values(compose.services).flatMap((service) => (service.volumes ?? []).map((volume) => volume.split(':')[0]!));
    expect(new Set(mounted)).toEqual(new Set(['app-data', 'redis-data']));
    for (const name of mounted) expect(compose.volumes).toHaveProperty(name);
  });
});

describe('docker-compose.yml and otel-collector.yaml with observability (parsed; test/e2e/containers.test.ts runs them, with a stand-in collector)', () => {
  const withObservability = render(normalizeAnswers({ name: 'orders-api', pythonVersion: '3.12', components: ['observability'] }), {
    generatorVersion: '0.0.0',
  });
  const compose = yaml.load(renderedText(withObservability, 'docker-compose.yml')) as { services: Record<string, ComposeService> };
  const collector = yaml.load(renderedText(withObservability, 'otel-collector.yaml')) as {
    receivers: { otlp: { protocols: { http: { endpoint: string }; grpc: { endpoint: string } } } };
    processors: Record<string, unknown>;
    exporters: Record<string, unknown>;
    extensions: Record<string, unknown>;
    service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
  };

  it('runs a pinned collector with the rendered config, its OTLP/HTTP port on loopback only', () => {
    const service = compose.services['otel-collector']!;
    expect(service.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    expect(service.command).toEqual(['--config=/etc/otelcol-contrib/config.yaml']);
    expect(service.volumes).toEqual(['./otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro']);
    expect(service.ports).toEqual(['127.0.0.1:${OTEL_COLLECTOR_PORT:-4318}:4318']);
  });

  it('points the web server at the collector and starts it first', () => {
    expect(compose.services.webserver!.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(compose.services.webserver!.depends_on).toEqual({ 'otel-collector': { condition: 'service_started' } });
  });

  it('receives OTLP on the port the web server sends to and exports traces and metrics through the debug exporter', () => {
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(collector.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(Object.keys(collector.service.pipelines).sort()).toEqual(['metrics', 'traces']);
    for (const pipeline of Object.values(collector.service.pipelines)) {
      expect(pipeline).toEqual({ receivers: ['otlp'], processors: ['batch'], exporters: ['debug'] });
      // Everything a pipeline or the service names is defined (the collector refuses to start otherwise).
      for (const name of pipeline.receivers) expect(collector.receivers).toHaveProperty(name);
      for (const name of pipeline.processors) expect(collector.processors).toHaveProperty(name);
      for (const name of pipeline.exporters) expect(collector.exporters).toHaveProperty(name);
    }
    for (const name of collector.service.extensions) expect(collector.extensions).toHaveProperty(name);
  });

  it('is not rendered without observability', () => {
    expect(tree.has('otel-collector.yaml')).toBe(false);
    expect(yaml.load(renderedText(tree, 'docker-compose.yml'))).not.toHaveProperty('services.otel-collector');
  });
});

describe('Dockerfile (read; not built: no Docker engine here)', () => {
  const dockerfile = renderedText(tree, 'Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));

  it('builds in two stages on the chosen Python with uv, from the lock file', () => {
    expect(instructions.filter((line) => line.startsWith('FROM '))).toEqual([
      'FROM python:3.12-slim AS builder',
      'FROM python:3.12-slim AS runtime',
    ]);
    expect(dockerfile).toContain('uv sync --locked --no-dev');
  });

  it('runs as a non-root user with a health check and the webserver entrypoint', () => {
    const user = instructions.filter((line) => line.startsWith('USER '));
    expect(user).toEqual(['USER app']);
    expect(instructions.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('python -m app.entrypoints.probe'))).toBe(true);
    expect(instructions.at(-1)).toBe('CMD ["python", "-m", "app.entrypoints.webserver"]');
  });
});
