import { describe, expect, it } from 'vitest';
import { PYTHON_PACKAGES, pinnedDistributionNames, requirement } from '../../shared/model/versions.js';

describe('pinned versions', () => {
  it('writes exact requirements with extras', () => {
    expect(requirement('uvicorn')).toBe(`uvicorn[standard]==${PYTHON_PACKAGES.uvicorn.version}`);
    expect(requirement('fastapi')).toBe(`fastapi==${PYTHON_PACKAGES.fastapi.version}`);
  });

  it('pins every package to an exact release', () => {
    for (const pin of Object.values(PYTHON_PACKAGES)) expect(pin.version).toMatch(/^\d+(\.\d+)+$/);
  });

  it('normalises distribution names', () => {
    expect(pinnedDistributionNames()).toContain('pydantic-settings');
  });
});
