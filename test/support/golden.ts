/**
 * Golden renders on disk: `test/golden/<stack>.sha256` lists every file of every matrix stack (`sha256  path`), and
 * `test/golden/<stack>/` holds the full files of base, the everything stacks and whatever else it takes to render
 * every path, so a template change shows as a diff of the file itself. Path segments starting with a dot are stored as `dot-…` (as in the
 * templates): a rendered `.gitignore` must not apply to the golden folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FileContents, contentBytes } from '../../shared/engine/reconcile.js';
import type { RenderedTree } from '../../shared/engine/render.js';
import { renderAnswers } from './memory-project.js';
import { type MatrixStack, stackAnswers } from './stack-matrix.js';

export const GOLDEN_DIR = fileURLToPath(new URL('../golden', import.meta.url));
/** Rendered with the fixed TEST_VERSION: the .yo-rc.json records the generator version. */
export function renderStack(stack: MatrixStack): RenderedTree {
  return renderAnswers(stackAnswers(stack));
}

export function manifest(tree: RenderedTree): string {
  const lines = [...tree].map(([path, contents]) => `${createHash('sha256').update(contentBytes(contents)).digest('hex')}  ${path}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The stacks stored in full: these first (base and the everything stacks: every option at its default, and at a
 * non-default value), then greedily the fewest more whose renders hold every path any stack renders.
 */
export function representativeStacks(trees: ReadonlyMap<string, RenderedTree>, first: readonly string[]): string[] {
  const missing = new Set([...trees.values()].flatMap((tree) => [...tree.keys()]));
  const chosen: string[] = [];
  const take = (name: string): void => {
    chosen.push(name);
    for (const path of trees.get(name)!.keys()) missing.delete(path);
  };
  first.forEach(take);
  while (missing.size) {
    const gain = (name: string): number => [...trees.get(name)!.keys()].filter((path) => missing.has(path)).length;
    take([...trees.keys()].reduce((best, name) => (gain(name) > gain(best) ? name : best)));
  }
  return chosen;
}

const escapeSegment = (segment: string): string => (segment.startsWith('.') ? `dot-${segment.slice(1)}` : segment);
const unescapeSegment = (segment: string): string => (segment.startsWith('dot-') ? `.${segment.slice(4)}` : segment);

export function goldenPath(stack: string, path: string): string {
  if (path.split('/').some((segment) => segment.startsWith('dot-'))) throw new Error(`${path}: cannot be stored as a golden file`);
  return join(GOLDEN_DIR, stack, ...path.split('/').map(escapeSegment));
}

/** The stored full files of a stack: project path → bytes. */
export function readGoldenFiles(stack: string): Map<string, Buffer> {
  const root = join(GOLDEN_DIR, stack);
  const files = new Map<string, Buffer>();
  if (!existsSync(root)) return files;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const relative = join(entry.parentPath, entry.name).slice(root.length + 1).split(/[\\/]/);
    files.set(relative.map(unescapeSegment).join('/'), readFileSync(join(entry.parentPath, entry.name)));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function writeGolden(stacks: ReadonlyMap<string, RenderedTree>, full: readonly string[]): void {
  rmSync(GOLDEN_DIR, { recursive: true, force: true });
  mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const [name, tree] of stacks) {
    writeFileSync(join(GOLDEN_DIR, `${name}.sha256`), manifest(tree));
    if (!full.includes(name)) continue;
    for (const [path, contents] of tree) {
      const target = goldenPath(name, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, contentBytes(contents as FileContents));
    }
  }
}

export function readManifest(stack: string): string | undefined {
  const file = join(GOLDEN_DIR, `${stack}.sha256`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The stacks stored in the golden folder: manifests and full-file folders. */
export function storedStacks(): { readonly manifests: string[]; readonly folders: string[] } {
  if (!existsSync(GOLDEN_DIR)) return { manifests: [], folders: [] };
  const entries = readdirSync(GOLDEN_DIR, { withFileTypes: true });
  return {
    manifests: entries.filter((e) => e.isFile() && e.name.endsWith('.sha256')).map((e) => e.name.slice(0, -'.sha256'.length)).sort(),
    folders: entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(),
  };
}
