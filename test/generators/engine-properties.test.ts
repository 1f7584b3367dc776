import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import { OPTIONAL_COMPONENTS, SERVICES } from '../../shared/model/registry.js';
import {
  addFeatures,
  initProject,
  listFolders,
  readTree,
  removeFeatures,
  scratchDir,
} from '../support/project-runner.js';
import { AFTER_CORE_LINE, COMPOSE, OWN_CODE, OWN_FILE, OWN_SERVICE, ROUTER, ROUTER_LINE, USER_EDITS } from '../support/user-edits.js';

/** Every optional feature with every value of its options: `scheduler[persistence=memory]`, `…=sqlite`, … */
function variants(feature: FeatureSpec): string[] {
  let combos: string[][] = [[]];
  for (const option of feature.options) {
    combos = combos.flatMap((combo) => option.values.map((value) => [...combo, `${option.name}=${value}`]));
  }
  return combos.map((combo) => (combo.length ? `${feature.name}[${combo.join(',')}]` : feature.name));
}

const cases = [...OPTIONAL_COMPONENTS, ...SERVICES].flatMap((feature) =>
  variants(feature).map((entry) => ({ feature, entry, flag: feature.kind === 'service' ? 'services' : 'components' })),
);

function applyUserEdits(project: string): Map<string, string> {
  for (const [path, text] of Object.entries(USER_EDITS)) appendFileSync(join(project, path), text);
  const compose = readFileSync(join(project, COMPOSE), 'utf8');
  writeFileSync(join(project, COMPOSE), compose.replace('\nvolumes:\n', `\n${OWN_SERVICE}volumes:\n`));
  const router = readFileSync(join(project, ROUTER), 'utf8');
  writeFileSync(join(project, ROUTER), `${router}\n${ROUTER_LINE}`);
  for (const [path, [core, mine]] of Object.entries(AFTER_CORE_LINE)) {
    const text = readFileSync(join(project, path), 'utf8');
    expect(text, path).toContain(core);
    writeFileSync(join(project, path), text.replace(core, `${core}${mine}`));
  }
  mkdirSync(join(project, 'app/services'), { recursive: true });
  writeFileSync(join(project, OWN_FILE), OWN_CODE);
  return readTree(project);
}

function expectUserEditsIntact(project: string): void {
  for (const [path, text] of Object.entries(USER_EDITS)) expect(readFileSync(join(project, path), 'utf8'), path).toContain(text);
  expect(readFileSync(join(project, ROUTER), 'utf8')).toContain(ROUTER_LINE);
  expect(readFileSync(join(project, COMPOSE), 'utf8')).toContain(`\n${OWN_SERVICE}volumes:\n`);
  expect(readFileSync(join(project, OWN_FILE), 'utf8')).toBe(OWN_CODE);
  for (const [path, [, mine]] of Object.entries(AFTER_CORE_LINE)) expect(readFileSync(join(project, path), 'utf8'), path).toContain(mine);
  for (const [path, text] of readTree(project)) expect(text, path).not.toMatch(/^<<<<<<< /m);
}

afterEach(() => {
  process.exitCode = undefined;
});

describe.each(cases)('engine properties for $entry', ({ entry, feature, flag }) => {
  it('converges: init with it equals init then add (byte for byte)', async () => {
    const together = await initProject(scratchDir(), 'demo', { [flag]: entry });
    const stepwise = await initProject(scratchDir(), 'demo');
    await addFeatures(stepwise, [entry]);
    expect(readTree(stepwise)).toEqual(readTree(together));
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('round-trips: init, add, remove gives the init tree back (byte for byte, no empty folders)', async () => {
    const project = await initProject(scratchDir(), 'demo');
    const before = readTree(project);
    const folders = listFolders(project);
    await addFeatures(project, [entry]);
    expect(readTree(project)).not.toEqual(before);
    await removeFeatures(project, [feature.name]);
    expect(readTree(project)).toEqual(before);
    expect(listFolders(project)).toEqual(folders);
  });

  it("keeps the user's own lines and files through add and remove", async () => {
    const project = await initProject(scratchDir(), 'demo');
    const edited = applyUserEdits(project);
    await addFeatures(project, [entry]);
    expectUserEditsIntact(project);
    await removeFeatures(project, [feature.name]);
    expectUserEditsIntact(project);
    expect(readTree(project)).toEqual(edited);
    expect(process.exitCode ?? 0).toBe(0);
  });
});

describe('the user story, step by step', () => {
  it('init, add scheduler, add worker, add auth, remove scheduler: the tree equals a fresh init of the result', async () => {
    const project = await initProject(scratchDir(), 'shop');
    await addFeatures(project, ['scheduler']);
    await addFeatures(project, ['worker']);
    await addFeatures(project, ['auth']);
    await removeFeatures(project, ['scheduler']);
    expect(process.exitCode ?? 0).toBe(0);
    const reference = await initProject(scratchDir(), 'shop', { components: 'worker', services: 'auth' });
    expect(readTree(project)).toEqual(readTree(reference));
  });
});
