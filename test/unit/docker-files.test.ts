/**
 * There is no Docker engine on the machines this suite runs on, so the generated Dockerfile and compose file are
 * checked here by parsing and by their structure, not by building or starting containers.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/answers.js';
import { render } from '../../shared/render.js';

const tree = render(normalizeAnswers({ name: 'orders-api', pythonVersion: '3.12' }), { generatorVersion: '0.0.0' });

interface ComposeService {
  build?: unknown;
  image?: string;
  env_file?: Array<{ path: string; required: boolean }>;
  ports?: string[];
  healthcheck?: { test: string[]; interval: string; retries: number };
}

describe('docker-compose.yml (parsed; not run: no Docker engine here)', () => {
  const compose = yaml.load(tree.get('docker-compose.yml')!) as { services: Record<string, ComposeService> };

  it('has a webserver built from the project, with an optional .env, a port and a health check', () => {
    const webserver = compose.services.webserver!;
    expect(webserver.build).toBe('.');
    expect(webserver.image).toBe('orders-api:latest');
    expect(webserver.env_file).toEqual([{ path: '.env', required: false }]);
    expect(webserver.ports).toEqual(['${PORT:-8000}:8000']);
    expect(webserver.healthcheck?.test).toEqual(['CMD', 'orders-api', 'health', 'probe', '--url', 'http://127.0.0.1:8000/health']);
  });
});

describe('Dockerfile (read; not built: no Docker engine here)', () => {
  const dockerfile = tree.get('Dockerfile')!;
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
    expect(instructions.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('orders-api health probe'))).toBe(true);
    expect(instructions.at(-1)).toBe('CMD ["python", "-m", "app.entrypoints.webserver"]');
  });
});
