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

  it('normalises distribution names', () => {
    expect(pinnedDistributionNames()).toContain('pydantic-settings');
  });
});
