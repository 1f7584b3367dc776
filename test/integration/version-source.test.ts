import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RegistryStandIn, startRegistry } from '../support/npm-registry.js';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { packageRoot, packageVersion } from '../../shared/package-info.js';
import { serializeState } from '../../shared/model/project-state.js';
import { render } from '../../shared/engine/render.js';
import { renderWithVersion } from '../../shared/update/version-renderer.js';
import { locateVersion, versionCacheDir } from '../../shared/update/version-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-versions-'));
const savedEnv = { ...process.env };
let registry: RegistryStandIn;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  // npm's configuration as a user's machine has it: the registry in the user's .npmrc, npm's cache in a folder. (npm
  // run passes its own configuration as npm_config_* variables, which would win over the file.)
  for (const name of Object.keys(process.env)) if (/^npm_config_/i.test(name)) delete process.env[name];
  const userconfig = join(mkdtempSync(join(scratch, 'home-')), '.npmrc');
  writeFileSync(userconfig, `registry=${registry.url}\ncache=${join(scratch, 'npm-cache')}\n`);
  process.env.npm_config_userconfig = userconfig;
});
afterEach(() => {
  process.env = { ...savedEnv };
  registry.requireToken(undefined);
});

/** A package folder with the given version: the real build (dist/) of this checkout, nothing else. */
function packageFolder(name: string, version: string): string {
  const root = join(scratch, name, 'package');
  mkdirSync(root, { recursive: true });
  cpSync(join(packageRoot, 'dist'), join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'generator-aegis', version }));
  return root;
}

function tarball(name: string, version: string): string {
  const folder = packageFolder(name, version);
  const file = join(scratch, `${name}.tgz`);
  const result = spawnSync('tar', ['-czf', file, '-C', join(folder, '..'), 'package']);
  expect(result.status).toBe(0);
  return file;
}

beforeAll(() => {
  expect(existsSync(join(packageRoot, 'dist', 'engine', 'render-recorded.js')), 'run npm run build first').toBe(true);
});

describe('locateVersion', () => {
  it('takes a built package folder of the recorded version, and says what is wrong with any other', async () => {
    const folder = packageFolder('folder', '0.1.0');
    expect(await locateVersion('0.1.0', { from: folder, cacheDir: join(scratch, 'cache-a') })).toBe(folder);
    await expect(locateVersion('0.2.0', { from: folder })).rejects.toThrow(/holds generator-aegis 0.1.0, but the project was last rendered by 0.2.0/);
    await expect(locateVersion('0.1.0', { from: join(scratch, 'missing') })).rejects.toThrow(/no such file or folder/);
    const unbuilt = join(scratch, 'unbuilt');
    mkdirSync(unbuilt);
    writeFileSync(join(unbuilt, 'package.json'), JSON.stringify({ name: 'generator-aegis', version: '0.1.0' }));
    await expect(locateVersion('0.1.0', { from: unbuilt })).rejects.toThrow(/no build .*npm run build/);
    writeFileSync(join(unbuilt, 'package.json'), JSON.stringify({ name: 'other', version: '0.1.0' }));
    await expect(locateVersion('0.1.0', { from: unbuilt })).rejects.toThrow(/not a generator-aegis package/);
  });

  it('unpacks a tarball into the cache, then finds it there without --from or the registry', async () => {
    const cacheDir = join(scratch, 'cache-b');
    const root = await locateVersion('0.1.1', { from: tarball('tgz', '0.1.1'), cacheDir });
    expect(root).toBe(join(cacheDir, 'versions', '0.1.1'));
    const before = registry.requests.length;
    expect(await locateVersion('0.1.1', { cacheDir })).toBe(root);
    expect(registry.requests.length).toBe(before);
  });

  it('refuses a file that is not a package tarball, keeping nothing', async () => {
    const cacheDir = join(scratch, 'cache-junk');
    const junk = join(scratch, 'junk.tgz');
    writeFileSync(junk, 'not a tarball');
    await expect(locateVersion('0.1.5', { from: junk, cacheDir })).rejects.toThrow(/Cannot unpack --from .*junk\.tgz: .*is it an npm package tarball\?/);
    expect(existsSync(join(cacheDir, 'versions', '0.1.5'))).toBe(false);
  });

  it("fetches from the registry in the user's .npmrc once, checked against its integrity, and works offline from the cache afterwards", async () => {
    const cacheDir = join(scratch, 'cache-c');
    registry.publish('generator-aegis', '0.1.2', tarball('registry', '0.1.2'));
    const lines: string[] = [];
    const root = await locateVersion('0.1.2', { cacheDir, log: (line) => lines.push(line) });
    expect(registry.requests.map((request) => request.path)).toEqual(expect.arrayContaining(['/generator-aegis', '/generator-aegis/-/generator-aegis-0.1.2.tgz']));
    expect(lines.join('\n')).toContain(`Fetching generator-aegis@0.1.2 from the npm registry into ${cacheDir}`);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).toMatchObject({ version: '0.1.2' });
    // npm's own cache has it too, so npm (and a later fetch) would find it offline.
    expect(existsSync(join(scratch, 'npm-cache', '_cacache'))).toBe(true);
    process.env.npm_config_registry = 'http://127.0.0.1:9/';
    expect(await locateVersion('0.1.2', { cacheDir })).toBe(root);
  });

  it('refuses a tarball whose bytes do not match the integrity the registry gives, keeping nothing', async () => {
    const cacheDir = join(scratch, 'cache-e');
    registry.publish('generator-aegis', '0.1.3', tarball('tampered', '0.1.3'), { tamper: true });
    process.env.npm_config_fetch_retries = '0';
    await expect(locateVersion('0.1.3', { cacheDir })).rejects.toThrow(/does not match its integrity checksum/);
    expect(existsSync(join(cacheDir, 'versions', '0.1.3'))).toBe(false);
  });

  it("sends the token the user's .npmrc gives for the registry, and says so when it is refused", async () => {
    registry.publish('generator-aegis', '0.1.4', tarball('private', '0.1.4'));
    registry.requireToken('s3cret');
    const host = new URL(registry.url).host;
    await expect(locateVersion('0.1.4', { cacheDir: join(scratch, 'cache-f') })).rejects.toThrow(/refused generator-aegis@0\.1\.4 .*check its token in your \.npmrc/);
    // As npm reads it: the token from the environment, through ${VAR} in .npmrc.
    writeFileSync(process.env.npm_config_userconfig!, `registry=${registry.url}\n//${host}/:_authToken=\${REGISTRY_TOKEN}\n`, { flag: 'a' });
    process.env.REGISTRY_TOKEN = 's3cret';
    expect(await locateVersion('0.1.4', { cacheDir: join(scratch, 'cache-f') })).toBe(join(scratch, 'cache-f', 'versions', '0.1.4'));
    expect(registry.requests.at(-1)?.authorization).toBe('Bearer s3cret');
  });

  it('says how to supply a version the registry does not have, or when the registry cannot be reached', async () => {
    await expect(locateVersion('0.0.9', { cacheDir: join(scratch, 'cache-d') })).rejects.toThrow(
      /generator-aegis@0\.0\.9 is not in the npm registry \(http:\/\/127\.0\.0\.1:\d+\/\).*\. Pass that version with --from <folder\|tarball>/,
    );
    process.env.npm_config_registry = 'http://127.0.0.1:9/';
    process.env.npm_config_fetch_retries = '0';
    await expect(locateVersion('0.0.8', { cacheDir: join(scratch, 'cache-d') })).rejects.toThrow(/the npm registry \(http:\/\/127\.0\.0\.1:9\/\) cannot be reached \(offline\?\)/);
  });

  it('keeps the cache under $AEGIS_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache', () => {
    expect(versionCacheDir({ AEGIS_CACHE_DIR: '/c' })).toBe('/c');
    expect(versionCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/generator-aegis');
    expect(versionCacheDir({})).toMatch(/\.cache\/generator-aegis$/);
  });
});

describe('renderWithVersion', () => {
  it("renders with the other version's own bundled renderer, which needs no dependencies installed", async () => {
    const answers = normalizeAnswers({ name: 'orders-api', pythonVersion: '3.12', components: ['worker'], services: ['auth'] });
    const folder = packageFolder('isolated', packageVersion);
    const tree = await renderWithVersion(folder, serializeState({ version: packageVersion, answers }));
    expect([...tree]).toEqual([...render(answers, { generatorVersion: packageVersion })]);
  });
});
