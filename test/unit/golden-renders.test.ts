import { describe, expect, it } from 'vitest';
import { contentBytes } from '../../shared/engine/reconcile.js';
import type { RenderedTree } from '../../shared/engine/render.js';
import {
  manifest,
  readGoldenFiles,
  readManifest,
  renderStack,
  representativeStacks,
  storedStacks,
  writeGolden,
} from '../support/golden.js';
import { STACKS } from '../support/stack-matrix.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const HOW = 'if the change is intended, run UPDATE_GOLDEN=1 npx vitest run test/unit/golden-renders.test.ts and review the diff';

const trees = new Map<string, RenderedTree>(STACKS.map((stack) => [stack.name, renderStack(stack)]));
const full = representativeStacks(
  trees,
  STACKS.filter((stack) => stack.kind === 'base' || stack.kind === 'everything').map((stack) => stack.name),
);
if (UPDATE) writeGolden(trees, full);

describe('golden renders of the stack matrix', () => {
  it('renders the same tree twice', () => {
    for (const stack of [STACKS[0]!, STACKS.at(-1)!]) expect(manifest(renderStack(stack))).toBe(manifest(trees.get(stack.name)!));
  });

  it('stores a manifest for every stack and full files for the representative ones, nothing else', () => {
    expect(storedStacks(), HOW).toEqual({ manifests: [...trees.keys()].sort(), folders: [...full].sort() });
  });

  it.each(STACKS.map((stack) => stack.name))('%s: every path and checksum as stored', (name) => {
    expect(manifest(trees.get(name)!), HOW).toBe(readManifest(name));
  });

  it.each(full)('%s: every file as stored', (name) => {
    const stored = readGoldenFiles(name);
    const tree = trees.get(name)!;
    expect([...stored.keys()], HOW).toEqual([...tree.keys()]);
    for (const [path, contents] of tree) {
      const bytes = stored.get(path)!;
      if (typeof contents === 'string') expect(bytes.toString('utf8'), `${path}: ${HOW}`).toBe(contents);
      else expect(bytes.equals(contentBytes(contents)), `${path}: ${HOW}`).toBe(true);
    }
  });
});
