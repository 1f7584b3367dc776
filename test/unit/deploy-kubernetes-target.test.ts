/** Where .aegis/deploy.json keeps the Kubernetes target beside the SSH one, and which one a command goes to. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKubernetesTarget } from '../../shared/deploy/kubernetes-action.js';
import { savedKubernetesTarget } from '../../shared/deploy/kubernetes-target.js';
import { type DeployTarget, readTarget, writeTarget } from '../../shared/deploy/target.js';

const SERVER: DeployTarget = { host: '203.0.113.10', user: 'deploy', port: 22, path: '/opt/shop', key: '/k', keepReleases: 5, healthUrl: 'http://127.0.0.1:8000/health', hostKey: 'SHA256:x' };

function project(deploy?: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'aegis-k8s-target-'));
  if (deploy !== undefined) {
    mkdirSync(join(root, '.aegis'));
    writeFileSync(join(root, '.aegis/deploy.json'), JSON.stringify(deploy));
  }
  return root;
}

describe('the recorded Kubernetes target', () => {
  it('deploy-init --host makes SSH the target again and keeps the cluster for --target kubernetes', () => {
    const root = project({ target: 'kubernetes', kubernetes: { context: 'prod', namespace: 'shop-prod' } });
    expect(isKubernetesTarget({}, root)).toBe(true);
    writeTarget(root, SERVER);
    expect(JSON.parse(readFileSync(join(root, '.aegis/deploy.json'), 'utf8'))).toEqual({ ...SERVER, kubernetes: { context: 'prod', namespace: 'shop-prod' } });
    expect(isKubernetesTarget({}, root)).toBe(false);
    expect(isKubernetesTarget({ target: 'kubernetes' }, root)).toBe(true);
    expect(savedKubernetesTarget(root)).toBeUndefined();
    expect(readTarget(root)).toEqual(SERVER);
  });

  it('a --target given wins over the recorded one; none recorded is SSH; an unknown one is refused', () => {
    const both = project({ ...SERVER, target: 'kubernetes', kubernetes: { context: 'prod' } });
    expect(isKubernetesTarget({ target: 'ssh' }, both)).toBe(false);
    expect(readTarget(both)).toEqual(SERVER);
    expect(savedKubernetesTarget(both)).toEqual({ context: 'prod' });
    expect(isKubernetesTarget({}, project())).toBe(false);
    expect(() => isKubernetesTarget({ target: 'nomad' }, both)).toThrow('--target nomad: give ssh');
  });

  it('an SSH command on a file that records only the cluster says how to record a server', () => {
    const root = project({ target: 'kubernetes', kubernetes: { context: 'prod' } });
    expect(() => readTarget(root)).toThrow(/records a Kubernetes target only .* Run "aegis deploy-init --host <server>" to record one\./);
  });
});
