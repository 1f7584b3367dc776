import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { envValue } from '../project/executables.js';

/** npm's configuration as flat `key → value`, in npm's own key names (`registry`, `@scope:registry`, `//host/:_authToken`). */
export type NpmConfig = Readonly<Record<string, string>>;

export interface NpmConfigSources {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly platform: NodeJS.Platform;
}

/** `${NAME}` (and `${NAME?}`, empty when unset) replaced from the environment, as npm does in .npmrc values. */
function expandEnv(value: string, sources: NpmConfigSources): string {
  return value.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (match: string, slashes: string, name: string, optional?: string) => {
    if (slashes.length % 2 === 1) return match.slice(1);
    const found = envValue(sources.env, name, sources.platform);
    if (found === undefined && !optional) return match;
    return `${slashes}${found ?? ''}`;
  });
}

/** One .npmrc's `key = value` lines (ini without sections, which npm's config files do not use); missing: none. */
export function parseNpmrc(text: string, sources: NpmConfigSources): Record<string, string> {
  const config: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const equals = line.indexOf('=');
    const key = expandEnv((equals === -1 ? line : line.slice(0, equals)).trim(), sources);
    let value = equals === -1 ? 'true' : line.slice(equals + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
      value = value.slice(1, -1);
    }
    if (key !== '') config[key] = expandEnv(value, sources);
  }
  return config;
}

function readNpmrc(path: string, sources: NpmConfigSources): Record<string, string> {
  try {
    return parseNpmrc(readFileSync(path, 'utf8'), sources);
  } catch {
    return {};
  }
}

/** `npm_config_fetch_retries` → `fetch-retries`; a leading underscore stays (`npm_config__auth` → `_auth`). */
function envConfig(env: NodeJS.ProcessEnv): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !/^npm_config_/i.test(name)) continue;
    const key = name.slice('npm_config_'.length).toLowerCase().replace(/(?!^)_/g, '-');
    if (key !== '') config[key] = value;
  }
  return config;
}

/**
 * The configuration npm itself would use from `cwd`, lowest priority first: the user's .npmrc (`userconfig`, by
 * default ~/.npmrc), the project's .npmrc in `cwd`, then `npm_config_*` environment variables. npm's global and
 * built-in files (under its own install prefix) are not read: this process does not know which npm that would be.
 */
export function readNpmConfig(sources: NpmConfigSources): NpmConfig {
  const fromEnv = envConfig(sources.env);
  const userconfig = fromEnv.userconfig ?? join(sources.home, '.npmrc');
  return { ...readNpmrc(resolve(sources.cwd, userconfig), sources), ...readNpmrc(join(sources.cwd, '.npmrc'), sources), ...fromEnv };
}

export function currentNpmConfigSources(cwd: string = process.cwd()): NpmConfigSources {
  return { cwd, env: process.env, home: homedir(), platform: process.platform };
}
