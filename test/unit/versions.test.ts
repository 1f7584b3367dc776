import { describe, expect, it } from 'vitest';
import { PYTHON_PACKAGES, pinnedDistributionNames, requirement } from '../../shared/model/versions.js';

describe('pinned versions', () => {
  it('writes exact requirements with extras', () => {
    expect(requirement('uvicorn')).toBe(`uvicorn[standard]==${PYTHON_PACKAGES.uvicorn.version}`);
    expect(requirement('fastapi')).toBe(`fastapi==${PYTHON_PACKAGES.fastapi.version}`);
  });

  // OpenTelemetry's instrumentations (opentelemetry-python-contrib) are only ever published as betas: an exact one.
  const BETA_ONLY = new Set([
    'opentelemetry-instrumentation-fastapi',
    'opentelemetry-instrumentation-httpx',
    'opentelemetry-instrumentation-redis',
    'opentelemetry-instrumentation-sqlalchemy',
  ]);

  it('pins every package to an exact release', () => {
    for (const [name, pin] of Object.entries(PYTHON_PACKAGES)) {
      expect(pin.version, name).toMatch(BETA_ONLY.has(name) ? /^\d+(\.\d+)+b\d+$/ : /^\d+(\.\d+)+$/);
    }
  });

  it('writes a named pin variant, and refuses one the table does not hold', () => {
    expect(requirement('redis')).toBe('redis==5.3.1');
    expect(requirement('redis', [], 'taskiq')).toBe('redis==8.2.0');
    expect(requirement('redis', [], 'dramatiq')).toBe('redis==8.2.0');
    expect(() => requirement('redis', [], 'celery')).toThrow('redis has no pin variant "celery" in versions.ts');
    for (const [name, pin] of Object.entries(PYTHON_PACKAGES) as [string, { variants?: Record<string, string> }][]) {
      for (const version of Object.values(pin.variants ?? {})) expect(version, name).toMatch(/^\d+(\.\d+)+$/);
    }
  });

  it('normalises distribution names', () => {
    expect(pinnedDistributionNames()).toContain('pydantic-settings');
  });
});
