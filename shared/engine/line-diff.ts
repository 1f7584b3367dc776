/**
 * Two-way line diff (Myers' O(ND) algorithm, linear space, as in diff-match-patch's bisect).
 * Cost grows with the size of the differences, not with the length of the files: a million-line file with a few
 * edits diffs in linear time.
 */

/** One changed stretch: `oldLength` lines of the old side at `oldStart` replaced by `newLength` lines at `newStart`. */
type Lines = readonly string[];

export interface Hunk {
  readonly oldStart: number;
  readonly oldLength: number;
  readonly newStart: number;
  readonly newLength: number;
}

/**
 * Past this many edit steps in one sub-problem, the split point is the furthest forward point reached rather than
 * the exact middle (git's xdiff bounds its cost the same way): the diff stays correct, perhaps not minimal, and a
 * file rewritten on both sides costs seconds, not hours.
 */
const MAX_COST = 256;

interface Range {
  readonly aLo: number;
  readonly aHi: number;
  readonly bLo: number;
  readonly bHi: number;
}

/** Where to split a range whose ends differ: a point both halves of a shortest (or near-shortest) edit path meet. */
function split(a: Lines, b: Lines, { aLo, aHi, bLo, bHi }: Range): [number, number] | undefined {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD + 1;
  const length = 2 * maxD + 3;
  const v1 = new Int32Array(length).fill(-1);
  const v2 = new Int32Array(length).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  const front = (delta & 1) !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d += 1) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const i = offset + k1;
      let x1 = k1 === -d || (k1 !== d && v1[i - 1]! < v1[i + 1]!) ? v1[i + 1]! : v1[i - 1]! + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
        x1 += 1;
        y1 += 1;
      }
      v1[i] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const j = offset + delta - k1;
        if (j >= 0 && j < length && v2[j] !== -1 && x1 >= n - v2[j]!) return [x1, y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const i = offset + k2;
      let x2 = k2 === -d || (k2 !== d && v2[i - 1]! < v2[i + 1]!) ? v2[i + 1]! : v2[i - 1]! + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && a[aHi - x2 - 1] === b[bHi - y2 - 1]) {
        x2 += 1;
        y2 += 1;
      }
      v2[i] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const j = offset + delta - k2;
        if (j >= 0 && j < length && v1[j] !== -1) {
          const x1 = v1[j]!;
          if (x1 >= n - x2) return [x1, x1 - (j - offset)];
        }
      }
    }
    if (d >= MAX_COST) return furthest(v1, offset, d, n, m);
  }
  return undefined;
}

/** The forward point with the most progress (x + y) after `d` steps, inside the range. */
function furthest(v1: Int32Array, offset: number, d: number, n: number, m: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (let k = -d; k <= d; k += 2) {
    const x = v1[offset + k]!;
    const y = x - k;
    if (x < 0 || x > n || y < 0 || y > m) continue;
    if (!best || x + y > best[0] + best[1]) best = [x, y];
  }
  return best;
}

/** Marks which lines of `a` are deleted and which of `b` are inserted, for a shortest (or near) edit script. */
function markChanges(a: Lines, b: Lines): { readonly deleted: Uint8Array; readonly inserted: Uint8Array } {
  const deleted = new Uint8Array(a.length);
  const inserted = new Uint8Array(b.length);
  const stack: Range[] = [{ aLo: 0, aHi: a.length, bLo: 0, bHi: b.length }];
  while (stack.length > 0) {
    let { aLo, aHi, bLo, bHi } = stack.pop()!;
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      aLo += 1;
      bLo += 1;
    }
    while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
      aHi -= 1;
      bHi -= 1;
    }
    const point = aLo === aHi || bLo === bHi ? undefined : split(a, b, { aLo, aHi, bLo, bHi });
    const n = aHi - aLo;
    const m = bHi - bLo;
    if (!point || (point[0] === 0 && point[1] === 0) || (point[0] === n && point[1] === m)) {
      deleted.fill(1, aLo, aHi);
      inserted.fill(1, bLo, bHi);
      continue;
    }
    const [x, y] = point;
    stack.push({ aLo: aLo + x, aHi, bLo: bLo + y, bHi }, { aLo, aHi: aLo + x, bLo, bHi: bLo + y });
  }
  return { deleted, inserted };
}

/** The changed stretches from `a` to `b`, in order. */
export function diffHunks(a: Lines, b: Lines): Hunk[] {
  const { deleted, inserted } = markChanges(a, b);
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if ((i < a.length && deleted[i]) || (j < b.length && inserted[j])) {
      const oldStart = i;
      const newStart = j;
      while (i < a.length && deleted[i]) i += 1;
      while (j < b.length && inserted[j]) j += 1;
      hunks.push({ oldStart, oldLength: i - oldStart, newStart, newLength: j - newStart });
    } else {
      i += 1;
      j += 1;
    }
  }
  return hunks;
}
