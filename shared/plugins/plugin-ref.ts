import { AegisError } from '../errors.js';

/** A plugin as .yo-rc.json records it: its npm name and exact version, `aegis-plugin-ratelimit@1.0.0`. */
export interface PluginRef {
  readonly name: string;
  readonly version: string;
}

/** npm names, scoped or not (`@acme/aegis-plugin-x`), lower case. */
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export function isPluginName(name: string): boolean {
  return NAME.test(name) && name.length <= 214;
}

export function parsePluginRef(text: string): PluginRef {
  const at = text.lastIndexOf('@');
  const name = at > 0 ? text.slice(0, at) : '';
  const version = at > 0 ? text.slice(at + 1) : '';
  if (!isPluginName(name) || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/.test(version)) {
    throw new AegisError(`"${text}" is not a plugin entry: the "plugins" list records "name@exact-version", e.g. "aegis-plugin-ratelimit@1.0.0".`);
  }
  return { name, version };
}

export function formatPluginRef(ref: PluginRef): string {
  return `${ref.name}@${ref.version}`;
}
