import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envValue } from '../project/executables.js';
import type { NpmConfig, NpmConfigSources } from './npm-config.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** npm's cache folder: `cache` from the configuration, else ~/.npm (%LocalAppData%\npm-cache on Windows). */
export function npmCacheFolder(config: NpmConfig, sources: NpmConfigSources): string {
  if (config.cache) return config.cache;
  const localAppData = envValue(sources.env, 'LocalAppData', sources.platform);
  if (sources.platform === 'win32') return join(localAppData ?? join(sources.home, 'AppData', 'Local'), 'npm-cache');
  return join(sources.home, '.npm');
}

const truthy = (value: string | undefined): boolean => value !== undefined && value !== 'false' && value !== '';

function positiveInteger(value: string | undefined): number | undefined {
  const number = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(number) && number >= 0 ? number : undefined;
}

/**
 * pacote's options from npm's configuration, as npm hands them over: registries and credentials under npm's own keys
 * (npm-registry-fetch reads `@scope:registry` and `//host/:_authToken` as given), npm's content cache (so a package
 * npm fetched before is there offline, and one fetched here is there for npm), TLS and proxy settings. Scripts never
 * run: a fetched package is data to this tool.
 */
export function pacoteOptions(config: NpmConfig, sources: NpmConfigSources): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith('//') || /^@[^:/]+:registry$/.test(key)) options[key] = value;
  }
  options.registry = config.registry || DEFAULT_REGISTRY;
  options.cache = join(npmCacheFolder(config, sources), '_cacache');
  options.ignoreScripts = true;
  options.offline = truthy(config.offline);
  options.preferOffline = truthy(config['prefer-offline']);
  options.preferOnline = truthy(config['prefer-online']);
  if (config['strict-ssl'] === 'false') options.strictSSL = false;
  if (config.cafile) options.ca = readFileSync(config.cafile, 'utf8');
  else if (config.ca) options.ca = config.ca;
  const proxy = config['https-proxy'] || config.proxy;
  if (proxy) options.proxy = proxy;
  if (config.noproxy) options.noProxy = config.noproxy;
  const timeout = positiveInteger(config['fetch-timeout']);
  if (timeout !== undefined) options.timeout = timeout;
  const retries = positiveInteger(config['fetch-retries']);
  if (retries !== undefined) options.retry = { retries };
  if (config['user-agent']) options.userAgent = config['user-agent'];
  return options;
}
