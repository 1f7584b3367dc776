import { compareVersions } from '../model/version-order.js';

/**
 * The plugin API this generator-aegis implements. A plugin names the range it supports in its package.json
 * (`"aegis": { "pluginApi": "^1.0.0" }`). The major moves only when a plugin written for the previous one could
 * render differently or fail: see docs/plugins.md, "Stability".
 */
export const PLUGIN_API_VERSION = '1.0.0';

function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split(/[-+]/)[0]!.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

/** One comparator of a range: `^1.2.0`, `~1.2.0`, `>=1.0.0`, `<2`, `1.x`, `1`, `*`, `1.2.3`. */
function satisfiesComparator(version: string, comparator: string): boolean {
  const match = /^(\^|~|>=|<=|>|<|=)?\s*v?([\dxX*]+(?:\.[\dxX*]+){0,2})$/.exec(comparator.trim());
  if (!match) return false;
  const [, operator = '', target = ''] = match;
  const wild = target.split('.').findIndex((part) => /^[xX*]$/.test(part));
  const given = target.split('.').length;
  const [major, minor, patch] = parts(target.replace(/[xX*]/g, '0'));
  const order = compareVersions(version, `${major}.${minor}.${patch}`);
  const [vMajor, vMinor] = parts(version);
  if (operator === '' || operator === '=') {
    const fixed = wild === -1 ? given : wild;
    if (fixed === 0) return true;
    if (fixed < 3) return vMajor === major && (fixed < 2 || vMinor === minor);
    return order === 0;
  }
  if (operator === '>=') return order >= 0;
  if (operator === '>') return order > 0;
  if (operator === '<=') return order <= 0;
  if (operator === '<') return order < 0;
  if (operator === '~') return order >= 0 && vMajor === major && (given < 2 || vMinor === minor);
  // ^: the leftmost non-zero part stays.
  if (order < 0 || vMajor !== major) return false;
  return major !== 0 || given < 2 || (vMinor === minor && (minor !== 0 || given < 3 || order === 0));
}

/** Whether `version` is in a range of comparators (space: and, `||`: or); `1.0.0 - 2.0.0` is not supported. */
export function satisfiesRange(version: string, range: string): boolean {
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.length === 0 || comparators.every((comparator) => satisfiesComparator(version, comparator));
  });
}
