/**
 * Compares versions by SemVer 2.0.0 precedence (semver.org §11): the dotted core numerically (`0.10.0` > `0.9.1`), a
 * pre-release before its release (`1.0.0-rc.1` < `1.0.0`), pre-release identifiers one by one, numeric ones as
 * numbers (`rc.9` < `rc.10`) and before alphanumeric ones, a shorter list first when the rest are equal
 * (`alpha` < `alpha.1`); build metadata (`+build.5`) is ignored. Lenient like the recorded versions it reads: a
 * leading `v` is dropped and a missing or non-numeric core part counts as 0.
 */
export function compareVersions(a: string, b: string): number {
  const split = (version: string): [number[], string[]] => {
    const [core = '', pre = ''] = version.trim().replace(/^v/i, '').replace(/\+.*$/s, '').split(/-(.*)/s);
    return [core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre === '' ? [] : pre.split('.')];
  };
  const [coreA, preA] = split(a);
  const [coreB, preB] = split(b);
  for (let index = 0; index < Math.max(coreA.length, coreB.length); index += 1) {
    const difference = (coreA[index] ?? 0) - (coreB[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  // A release sorts after every pre-release of it.
  if (preA.length === 0 || preB.length === 0) return Math.sign(preB.length - preA.length);
  for (let index = 0; index < Math.min(preA.length, preB.length); index += 1) {
    const order = compareIdentifiers(preA[index]!, preB[index]!);
    if (order !== 0) return order;
  }
  return Math.sign(preA.length - preB.length);
}

/** Pre-release identifiers: digits only compare as numbers and before the others, which compare in ASCII order. */
function compareIdentifiers(a: string, b: string): number {
  const numericA = /^\d+$/.test(a);
  const numericB = /^\d+$/.test(b);
  if (numericA && numericB) {
    // Numbers of any length: compare by length first (no leading zeros in SemVer), then by digits.
    const trimmedA = a.replace(/^0+(?=\d)/, '');
    const trimmedB = b.replace(/^0+(?=\d)/, '');
    if (trimmedA.length !== trimmedB.length) return Math.sign(trimmedA.length - trimmedB.length);
    return trimmedA < trimmedB ? -1 : trimmedA > trimmedB ? 1 : 0;
  }
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
