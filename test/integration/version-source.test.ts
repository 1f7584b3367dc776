import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { packageRoot, packageVersion } from '../../shared/package-info.js';
import { serializeState } from '../../shared/model/project-state.js';
import { render } from '../../shared/engine/render.js';
import { renderWithVersion } from '../../shared/update/version-renderer.js';
import { locateVersion, versionCacheDir } from '../../shared/update/version-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-versions-'));
const savedPath = process.env.PATH;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  process.env.PATH = savedPath;
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

/** Stands in for npm on PATH: `npm pack SPEC --pack-destination DIR` copies a prepared tarball, or fails as npm does. */
function fakeNpm(behaviour: { tarball?: string; error?: string }): string {
  const bin = mkdtempSync(join(scratch, 'bin-'));
  const script = behaviour.tarball
    ? `#!/bin/sh\necho "$@" >> "${bin}/calls"\nwhile [ "$1" != "--pack-destination" ]; do shift; done\ncp "${behaviour.tarball}" "$2/generator-aegis.tgz"\n`
    : `#!/bin/sh\necho "$@" >> "${bin}/calls"\necho "${behaviour.error}" >&2\nexit 1\n`;
  writeFileSync(join(bin, 'npm'), script);
  chmodSync(join(bin, 'npm'), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
  return bin;
}

beforeAll(() => {
  expect(existsSync(join(packageRoot, 'dist', 'engine', 'render-recorded.js')), 'run npm run build first').toBe(true);
});

describe('locateVersion', () => {
  it('takes a built package folder of the recorded version, and says what is wrong with any other', () => {
    const folder = packageFolder('folder', '0.1.0');
    expect(locateVersion('0.1.0', { from: folder, cacheDir: join(scratch, 'cache-a') })).toBe(folder);
    expect(() => locateVersion('0.2.0', { from: folder })).toThrow(/holds generator-aegis 0.1.0, but the project was last rendered by 0.2.0/);
    expect(() => locateVersion('0.1.0', { from: join(scratch, 'missing') })).toThrow(/no such file or folder/);
    const unbuilt = join(scratch, 'unbuilt');
    mkdirSync(unbuilt);
    writeFileSync(join(unbuilt, 'package.json'), JSON.stringify({ name: 'generator-aegis', version: '0.1.0' }));
    expect(() => locateVersion('0.1.0', { from: unbuilt })).toThrow(/no build .*npm run build/);
    writeFileSync(join(unbuilt, 'package.json'), JSON.stringify({ name: 'other', version: '0.1.0' }));
    expect(() => locateVersion('0.1.0', { from: unbuilt })).toThrow(/not a generator-aegis package/);
  });

  it('unpacks a tarball into the cache, then finds it there without --from', () => {
    const cacheDir = join(scratch, 'cache-b');
    const root = locateVersion('0.1.1', { from: tarball('tgz', '0.1.1'), cacheDir });
    expect(root).toBe(join(cacheDir, 'versions', '0.1.1'));
    fakeNpm({ error: 'must not be called' });
    expect(locateVersion('0.1.1', { cacheDir })).toBe(root);
  });

  it('fetches from the npm registry once, and works offline from the cache afterwards', () => {
    const cacheDir = join(scratch, 'cache-c');
    const bin = fakeNpm({ tarball: tarball('registry', '0.1.2') });
    const lines: string[] = [];
    const root = locateVersion('0.1.2', { cacheDir, log: (line) => lines.push(line) });
    expect(readFileSync(join(bin, 'calls'), 'utf8')).toMatch(/^pack generator-aegis@0\.1\.2 --pack-destination /);
    expect(lines.join('\n')).toContain(`Fetching generator-aegis@0.1.2 from the npm registry into ${cacheDir}`);
    fakeNpm({ error: 'npm error code ENOTFOUND (offline)' });
    expect(locateVersion('0.1.2', { cacheDir })).toBe(root);
  });

  it('says how to supply a version the registry does not have', () => {
    fakeNpm({ error: 'npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/generator-aegis' });
    expect(() => locateVersion('0.0.9', { cacheDir: join(scratch, 'cache-d') })).toThrow(
      /generator-aegis@0\.0\.9 is not in the npm registry\. Pass that version with --from <folder\|tarball>/,
    );
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
