/**
 * In memory, the user-edits property of test/generators/engine-properties.test.ts, over every feature variant and
 * from several stacks: the user's own lines and files survive add and remove, and removing gives
 * the edited tree back.
 */
import { describe, expect, it } from 'vitest';
import type { FileContents } from '../../shared/engine/reconcile.js';
import { type MemoryProject, addToProject, editProject, initProject, removeFromProject, snapshot } from '../support/memory-project.js';
import { OPTIONAL_FEATURES, STACKS, findStack, variants, withoutFeature } from '../support/stack-matrix.js';
import { AFTER_CORE_LINE, COMPOSE, OWN_CODE, OWN_FILE, OWN_SERVICE, ROUTER, ROUTER_LINE, USER_EDITS } from '../support/user-edits.js';

function text(files: ReadonlyMap<string, FileContents>, path: string): string {
  const contents = files.get(path);
  if (typeof contents !== 'string') throw new Error(`${path} is not a text file here`);
  return contents;
}

function applyUserEdits(project: MemoryProject): MemoryProject {
  return editProject(project, (files) => {
    for (const [path, line] of Object.entries(USER_EDITS)) files.set(path, text(files, path) + line);
    files.set(COMPOSE, text(files, COMPOSE).replace('\nvolumes:\n', `\n${OWN_SERVICE}volumes:\n`));
    files.set(ROUTER, `${text(files, ROUTER)}\n${ROUTER_LINE}`);
    for (const [path, [core, mine]] of Object.entries(AFTER_CORE_LINE)) {
      expect(text(files, path), path).toContain(core);
      files.set(path, text(files, path).replace(core, `${core}${mine}`));
    }
    files.set(OWN_FILE, OWN_CODE);
  });
}

function expectUserEditsIntact({ files }: MemoryProject): void {
  for (const [path, line] of Object.entries(USER_EDITS)) expect(text(files, path), path).toContain(line);
  expect(text(files, ROUTER)).toContain(ROUTER_LINE);
  expect(text(files, COMPOSE)).toContain(`\n${OWN_SERVICE}volumes:\n`);
  expect(text(files, OWN_FILE)).toBe(OWN_CODE);
  for (const [path, [, mine]] of Object.entries(AFTER_CORE_LINE)) expect(text(files, path), path).toContain(mine);
  for (const [path, contents] of files) if (typeof contents === 'string') expect(contents, path).not.toMatch(/^<<<<<<< /m);
}

/** Every variant from base (as on disk), and each feature at its defaults from the everything stacks. */
const EVERYTHING = STACKS.filter((stack) => stack.kind === 'everything').map((stack) => stack.name);
const cases = OPTIONAL_FEATURES.flatMap((feature) =>
  variants(feature).flatMap((variant, index) =>
    ['base', ...(index === 0 ? EVERYTHING : [])].map((base) => ({ request: { name: feature.name, options: variant.options }, base })),
  ),
);

describe.each(cases.map((item) => ({ ...item, name: `${item.request.name} ${JSON.stringify(item.request.options)} from ${item.base}` })))(
  'user edits: $name',
  ({ request, base }) => {
    it("keeps the user's own lines and files through add and remove", () => {
      const stack = findStack(base);
      const edited = applyUserEdits(initProject(withoutFeature(stack.requests, request.name), stack.pythonVersion));
      const added = addToProject(edited, [request]);
      expectUserEditsIntact(added);
      const removed = removeFromProject(added, [request.name]);
      expectUserEditsIntact(removed);
      expect(snapshot(removed)).toEqual(snapshot(edited));
    });
  },
);
