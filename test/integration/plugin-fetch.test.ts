import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchPlugin } from '../../shared/plugins/plugin-fetch.js';
import { type RegistryStandIn, startRegistry } from '../support/npm-registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-plugin-fetch-'));
const savedEnv = { ...process.env };
let registry: RegistryStandIn;
let userconfig: string;

/** A package tarball as `npm pack` makes it: package/package.json plus the given files. */
function packed(name: string, version: string, files: Record<string, string> = {}): string {
  const folder = mkdtempSync(join(scratch, 'pack-'));
  mkdirSync(join(folder, 'package'));
  writeFileSync(join(folder, 'package', 'package.json'), JSON.stringify({ name, version, type: 'module' }));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(folder, 'package', path), text);
  const file = join(folder, `${version}.tgz`);
  expect(spawnSync('tar', ['-czf', file, '-C', folder, 'package']).status).toBe(0);
  return file;
}

beforeAll(async () => {
  registry = await startRegistry();
  registry.publish('@acme/aegis-plugin-x', '1.0.0', packed('@acme/aegis-plugin-x', '1.0.0'));
  registry.publish('@acme/aegis-plugin-x', '1.1.0', packed('@acme/aegis-plugin-x', '1.1.0', { 'index.js': 'export const features = [];\n' }));
});
afterAll(async () => {
  await registry.close();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (/^npm_config_/i.test(name)) delete process.env[name];
  // A private scope, as a company's .npmrc names it: its registry and its token; the public registry unreachable.
  userconfig = join(mkdtempSync(join(scratch, 'home-')), '.npmrc');
  const host = new URL(registry.url).host;
  writeFileSync(userconfig, `registry=http://127.0.0.1:9/\n@acme:registry=${registry.url}\n//${host}/:_authToken=acme-token\ncache=${join(scratch, 'npm-cache')}\nfetch-retries=0\n`);
  process.env.npm_config_userconfig = userconfig;
  registry.requireToken('acme-token');
});
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('fetchPlugin', () => {
  it("takes a scoped plugin from the scope's registry with its token, the highest version in the range", async () => {
    const cache = join(scratch, 'cache-a');
    const lines: string[] = [];
    const folder = await fetchPlugin('@acme/aegis-plugin-x@^1.0.0', (line) => lines.push(line), cache);
    expect(folder).toBe(join(cache, '@acme+aegis-plugin-x@1.1.0'));
    expect(readFileSync(join(folder, 'index.js'), 'utf8')).toContain('features');
    expect(lines).toEqual([`Fetching @acme/aegis-plugin-x@^1.0.0 from the npm registry into ${cache}…`]);
    expect(registry.requests.every((request) => request.authorization === 'Bearer acme-token')).toBe(true);
    // An exact version already cached is used without the registry.
    const before = registry.requests.length;
    expect(await fetchPlugin('@acme/aegis-plugin-x@1.1.0', undefined, cache)).toBe(folder);
    expect(registry.requests.length).toBe(before);
  });

  it('says why a fetch failed, and keeps nothing', async () => {
    const cache = join(scratch, 'cache-b');
    await expect(fetchPlugin('@acme/aegis-plugin-x@^2.0.0', undefined, cache)).rejects.toThrow(
      /Cannot fetch the plugin @acme\/aegis-plugin-x@\^2\.0\.0: .*is not in the npm registry .*no published version matches\. Give a plugin folder/,
    );
    await expect(fetchPlugin('aegis-plugin-public', undefined, cache)).rejects.toThrow(/the npm registry \(http:\/\/127\.0\.0\.1:9\/\) cannot be reached \(offline\?\)/);
    writeFileSync(userconfig, readFileSync(userconfig, 'utf8').replace('acme-token', 'expired'));
    // The message names the scope's registry, which refused, not the default one.
    await expect(fetchPlugin('@acme/aegis-plugin-x@1.0.0', undefined, cache)).rejects.toThrow(
      `the registry ${registry.url} refused @acme/aegis-plugin-x@1.0.0 (E401): check its token in your .npmrc`,
    );
    expect(existsSync(cache) ? spawnSync('ls', [cache], { encoding: 'utf8' }).stdout.trim() : '').toBe('');
  });

  it('packs a folder as npm pack would, by its files list, without running its scripts', async () => {
    const folder = mkdtempSync(join(scratch, 'plugin-'));
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({ name: 'aegis-plugin-local', version: '0.2.0', files: ['index.js'], scripts: { prepare: 'touch prepared', prepack: 'touch prepacked' } }),
    );
    writeFileSync(join(folder, 'index.js'), 'export const features = [];\n');
    writeFileSync(join(folder, 'notes.txt'), 'not in files\n');
    const cached = await fetchPlugin(folder, undefined, join(scratch, 'cache-c'));
    expect(existsSync(join(cached, 'index.js'))).toBe(true);
    expect(existsSync(join(cached, 'notes.txt'))).toBe(false);
    expect(existsSync(join(folder, 'prepared')) || existsSync(join(folder, 'prepacked'))).toBe(false);
  });
});
