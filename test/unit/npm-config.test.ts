import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type NpmConfigSources, parseNpmrc, readNpmConfig } from '../../shared/npm/npm-config.js';
import { DEFAULT_REGISTRY, npmCacheFolder, pacoteOptions } from '../../shared/npm/pacote-options.js';
import { describeFetchFailure } from '../../shared/npm/fetch-package.js';

function sources(overrides: Partial<NpmConfigSources> = {}): NpmConfigSources {
  const home = mkdtempSync(join(tmpdir(), 'aegis-npmrc-home-'));
  return { cwd: mkdtempSync(join(tmpdir(), 'aegis-npmrc-cwd-')), env: {}, home, platform: 'linux', ...overrides };
}

describe('.npmrc', () => {
  it('reads key = value lines, skipping comments and sections, unquoting, and expanding ${VAR} as npm does', () => {
    const config = parseNpmrc(
      [
        '; a comment',
        '# another',
        'registry = https://npm.example.com/',
        '@acme:registry="https://npm.acme.test/"',
        '//npm.acme.test/:_authToken=${ACME_TOKEN}',
        'missing=${UNSET}',
        'optional=${UNSET?}',
        'escaped=\\${ACME_TOKEN}',
        'strict-ssl',
        '[section]',
        '',
      ].join('\r\n'),
      sources({ env: { ACME_TOKEN: 'tok' } }),
    );
    expect(config).toEqual({
      registry: 'https://npm.example.com/',
      '@acme:registry': 'https://npm.acme.test/',
      '//npm.acme.test/:_authToken': 'tok',
      missing: '${UNSET}',
      optional: '',
      escaped: '${ACME_TOKEN}',
      'strict-ssl': 'true',
    });
  });

  it("takes the user's file, then the project's, then npm_config_* variables, each over the one before", () => {
    const given = sources();
    writeFileSync(join(given.home, '.npmrc'), 'registry=https://user.test/\ncache=/user-cache\nfetch-retries=5\n');
    writeFileSync(join(given.cwd, '.npmrc'), 'registry=https://project.test/\n');
    const config = readNpmConfig({ ...given, env: { NPM_CONFIG_FETCH_RETRIES: '0', npm_config__auth: 'x' } });
    expect(config).toMatchObject({ registry: 'https://project.test/', cache: '/user-cache', 'fetch-retries': '0', _auth: 'x' });
  });

  it('reads the user file npm_config_userconfig names instead of ~/.npmrc', () => {
    const given = sources();
    writeFileSync(join(given.home, '.npmrc'), 'registry=https://home.test/\n');
    const elsewhere = join(given.cwd, 'custom.npmrc');
    writeFileSync(elsewhere, 'registry=https://custom.test/\n');
    expect(readNpmConfig({ ...given, env: { npm_config_userconfig: elsewhere } }).registry).toBe('https://custom.test/');
  });
});

describe("pacote's options", () => {
  it("passes registries and credentials under npm's own keys, uses npm's cache, and never runs scripts", () => {
    const given = sources({ home: '/home/dev' });
    const options = pacoteOptions(
      { '@acme:registry': 'https://npm.acme.test/', '//npm.acme.test/:_authToken': 'tok', 'prefer-offline': 'true', 'strict-ssl': 'false', 'fetch-retries': '0', other: 'x' },
      given,
    );
    expect(options).toMatchObject({
      registry: DEFAULT_REGISTRY,
      '@acme:registry': 'https://npm.acme.test/',
      '//npm.acme.test/:_authToken': 'tok',
      cache: join('/home/dev', '.npm', '_cacache'),
      ignoreScripts: true,
      preferOffline: true,
      offline: false,
      strictSSL: false,
      retry: { retries: 0 },
    });
    expect(options).not.toHaveProperty('other');
  });

  it("finds npm's cache where npm keeps it on Windows (there is no Windows machine here: the path logic is checked)", () => {
    const windows = sources({ platform: 'win32', home: 'C:\\Users\\dev', env: { LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' } });
    expect(npmCacheFolder({}, windows)).toBe(join('C:\\Users\\dev\\AppData\\Local', 'npm-cache'));
    expect(npmCacheFolder({ cache: 'D:\\npm-cache' }, windows)).toBe('D:\\npm-cache');
  });
});

describe('a failed fetch', () => {
  it('names the package npm says it was about: a dependency, when a folder is installed', () => {
    const failure = describeFetchFailure({ code: 'E404', statusCode: 404, pkgid: 'ejs@^9.9.9' }, { kind: 'folder', path: '/cache/versions/0.3.0' }, 'https://registry.npmjs.org/');
    expect(failure.reason).toBe('ejs@^9.9.9 is not in the npm registry (https://registry.npmjs.org/)');
  });

  const source = { kind: 'registry', spec: 'aegis-plugin-x@^1.0.0' } as const;
  const registry = 'https://registry.npmjs.org/';
  it.each([
    [{ code: 'E404', statusCode: 404 }, 'aegis-plugin-x@^1.0.0 is not in the npm registry (https://registry.npmjs.org/)', false],
    [{ code: 'ETARGET' }, 'no published version matches', false],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND registry.npmjs.org' }, 'cannot be reached (offline?)', true],
    [{ code: 'ENOTCACHED' }, "not in npm's cache and the npm configuration says offline", true],
    [{ code: 'EINTEGRITY' }, 'does not match its integrity checksum', false],
    [{ code: 'E401', statusCode: 401 }, 'check its token in your .npmrc', false],
  ])('%o says why in one clause', (error, expected, offline) => {
    const failure = describeFetchFailure(error, source, registry);
    expect(failure.reason).toContain(expected);
    expect(failure.offline).toBe(offline);
  });
});
