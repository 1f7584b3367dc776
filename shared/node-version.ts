// The Node.js versions generator-aegis runs on. No imports and no recent syntax or API: the bin loads this module
// first, on whatever Node the user has, to refuse an old one with one clear line before Yeoman is loaded.

/** The range package.json's `engines.node` declares (a test keeps the two equal). yeoman-generator 10 and
 * yeoman-environment 7 need it (they call Node 22's `Set.prototype.union`; on Node 20 they crash). */
export const NODE_RANGE = '^22.18.0 || >=24.11.0';

/** Whether `version` (`v22.18.0` or `22.18.0`) is in NODE_RANGE. A prerelease counts as its release. */
export function nodeSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split(/[.-]/).map(Number);
  return (major === 22 && minor >= 18) || (major === 24 && minor >= 11) || major > 24;
}

/** The one line the bin prints, and exits non-zero with, on a Node outside NODE_RANGE; undefined on a supported one. */
export function nodeRefusal(version: string): string | undefined {
  if (nodeSupported(version)) return undefined;
  return (
    `aegis: Node.js ${version} is not supported: generator-aegis needs Node.js ${NODE_RANGE}. ` +
    'Install Node.js 24 LTS (or 22.18+) from https://nodejs.org/ or with your version manager (nvm install 24), then run the command again.'
  );
}
