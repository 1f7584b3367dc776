import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { afterAll, describe, expect, it } from 'vitest';
import { type CompiledTemplates, loadCompiledTemplates, renderEjsTemplate } from '../../shared/engine/ejs-template.js';
import { buildTemplateContext } from '../../shared/engine/template-context.js';
import { ALL_FEATURES } from '../../shared/model/registry.js';
import { STACKS, stackAnswers } from '../support/stack-matrix.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'aegis-ejs-template-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Precompile = (dist: string, folders: readonly string[], texts?: readonly string[]) => number;
const precompileModule = join(root, 'scripts', 'precompile-templates.mjs');
const { precompileTemplates } = (await import(precompileModule)) as { precompileTemplates: Precompile };

/** What the build precompiles: the base's templates, each component's template folders and fragments. */
const packageFolders = [
  join(root, 'base', 'templates'),
  ...readdirSync(join(root, 'components'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join(root, 'components', entry.name))
        .filter((folder) => folder === 'contrib' || folder.startsWith('templates'))
        .map((folder) => join(root, 'components', entry.name, folder)),
    ),
];
const templates = packageFolders.flatMap((folder) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ejs'))
    .map((file) => join(folder, file)),
);

/** The specs' EJS strings the build compiles too (scripts/build.mjs). */
const composeValues = ALL_FEATURES.flatMap((feature) => (feature.contributes?.compose?.environment ?? []).map((variable) => variable.value));

function compile(name: string, folders: readonly string[], texts: readonly string[] = []): CompiledTemplates {
  const dist = join(scratch, name);
  mkdirSync(dist);
  precompileTemplates(dist, folders, texts);
  return loadCompiledTemplates(join(dist, 'templates.compiled.cjs'));
}

/** The output, or the error message: what the user would see either way. */
function outcome(render: () => string): { output?: string; error?: string } {
  try {
    return { output: render() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const byEjs = (text: string, data: object, filename: string | undefined) => () =>
  ejs.render(text, data as ejs.Data, { ...(filename ? { filename } : {}), strict: false, async: false });

describe('precompiled EJS templates', () => {
  const compiled = compile('package', packageFolders, composeValues);

  it('holds a function for every template of the package and every compose value of the specs', () => {
    expect(templates.length).toBeGreaterThan(50);
    expect(composeValues).toContain('<%= database.composeUrl %>');
    const texts = new Set([...templates.map((file) => readFileSync(file, 'utf8')), ...composeValues]);
    expect(Object.keys(compiled)).toHaveLength(texts.size);
  });

  it.each(STACKS.filter((stack) => stack.kind !== 'pair').map((stack) => stack.name))(
    '%s: every template renders as ejs renders it',
    (name) => {
      const context = buildTemplateContext(stackAnswers(STACKS.find((stack) => stack.name === name)!));
      for (const file of templates) {
        const text = readFileSync(file, 'utf8');
        const precompiled = outcome(() => renderEjsTemplate(text, context, file, compiled));
        expect(precompiled, file).toEqual(outcome(byEjs(text, context, file)));
        if (file.startsWith(join(root, 'base'))) expect(precompiled.error, file).toBeUndefined();
      }
      for (const value of composeValues) {
        expect(outcome(() => renderEjsTemplate(value, context, undefined, compiled)), value).toEqual(outcome(byEjs(value, context, undefined)));
      }
    },
  );

  it('fails as ejs fails, naming the file and the lines around the error', () => {
    const folder = join(scratch, 'failing');
    mkdirSync(folder);
    const file = join(folder, 'broken.txt.ejs');
    const text = 'one\n<%_ if (true) { _%>\ntwo <%= missing.value %>\n<%_ } _%>\nthree\n';
    writeFileSync(file, text);
    const own = compile('failing-dist', [folder]);
    expect(Object.keys(own)).toHaveLength(1);
    const precompiled = outcome(() => renderEjsTemplate(text, {}, file, own));
    expect(precompiled.error).toContain('>> 3| two <%= missing.value %>');
    expect(precompiled).toEqual(outcome(byEjs(text, {}, file)));
  });

  it('leaves a template that includes another, or whose text changed, to ejs at run time', () => {
    const folder = join(scratch, 'including');
    mkdirSync(folder);
    writeFileSync(join(folder, 'part.ejs'), 'part <%= name %>');
    const including = 'before <%- include("part") %> after\n';
    writeFileSync(join(folder, 'whole.ejs'), including);
    const own = compile('including-dist', [folder]);
    expect(Object.keys(own)).toHaveLength(1);
    const file = join(folder, 'whole.ejs');
    expect(renderEjsTemplate(including, { name: 'x' }, file, own)).toBe('before part x after\n');
    expect(renderEjsTemplate('changed <%= name %>', { name: 'x' }, join(folder, 'part.ejs'), own)).toBe('changed x');
  });
});
