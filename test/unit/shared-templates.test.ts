/**
 * The shared (base) templates name no feature and hold no logic: they iterate the slots prepared in shared/engine/slots.ts.
 * Every EJS tag of a converted file must be one of
 *   - a scriptlet `if (PATH) {`, `for (const NAME of PATH) {`, `} else {` or `}`, where PATH is a prepared value
 *     (`slots.pytest.plugins.length`, `dependencies`);
 *   - an output tag `<%= PATH %>` / `<%- PATH %>`, or a context formatter applied to one (`toml(project.description)`,
 *     `requirement('hatchling')`): no method call, comparison, ternary or logical operator;
 * and no tag may read `has.<feature>` or `options.<feature>`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseTemplatesDir, componentsDir } from '../../shared/package-info.js';

const TEMPLATES = baseTemplatesDir;

/** Every base template (what every project has): none may name a feature. */
const CONVERTED: readonly string[] = readdirSync(TEMPLATES, { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ejs'))
  .map((entry) => relative(TEMPLATES, join(entry.parentPath, entry.name)).split(sep).join('/'))
  .sort();

/**
 * Held to the same rules, relative to components/: a feature's own file that other features contribute to through a
 * slot, and every fragment a feature contributes (`<feature>/contrib/`). They read their feature's own prepared
 * values (`ingress.tls`, `database.postgres`), never `options.<feature>`; they may adapt to another feature they
 * work with (`has.auth` in the worker's README section), as a feature's own templates may.
 */
const FEATURE_FILES: readonly string[] = [
  'ingress/templates/docker-compose.prod.yml.ejs',
  ...readdirSync(componentsDir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && basename(entry.parentPath) === 'contrib')
    .map((entry) => relative(componentsDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(),
];

/** A feature's own files the other features contribute to through a slot, relative to components/: they name none. */
const SLOT_FILES: readonly string[] = ['database/templates/app/models/__init__.py.ejs', 'ingress/templates/docker-compose.prod.yml.ejs'];

const PATH = String.raw`[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*`;
const SCRIPTLETS = [
  new RegExp(String.raw`^if \(${PATH}\) \{$`),
  new RegExp(String.raw`^for \(const [A-Za-z_$][\w$]* of ${PATH}\) \{$`),
  /^\} else \{$/,
  /^\}$/,
];
const ARGUMENT = String.raw`(?:${PATH}|'[^'\\]*')`;
const OUTPUT = new RegExp(String.raw`^(?:${PATH}|[A-Za-z_$][\w$]*\(${ARGUMENT}(?:, ${ARGUMENT})*\))$`);

interface Tag {
  readonly line: number;
  readonly kind: 'scriptlet' | 'output' | 'comment';
  readonly code: string;
  readonly text: string;
}

function tags(source: string): Tag[] {
  const found: Tag[] = [];
  for (const match of source.matchAll(/<%([_=#-]?)([\s\S]*?)[-_]?%>/g)) {
    const marker = match[1]!;
    const kind = marker === '#' ? 'comment' : marker === '=' || marker === '-' ? 'output' : 'scriptlet';
    const line = source.slice(0, match.index).split('\n').length;
    found.push({ line, kind, code: match[2]!.trim(), text: match[0] });
  }
  return found;
}

/** What is wrong with a template's tags, one line each (empty when nothing is). */
function problems(source: string, options: { readonly mayAdapt?: boolean } = {}): string[] {
  const wrong: string[] = [];
  const naming = options.mayAdapt ? /\boptions\./ : /\b(has|options)\./;
  for (const tag of tags(source)) {
    if (tag.kind === 'comment') continue;
    if (naming.test(tag.code)) wrong.push(`${tag.line}: names a feature: ${tag.text}`);
    else if (tag.kind === 'scriptlet' && !SCRIPTLETS.some((pattern) => pattern.test(tag.code))) wrong.push(`${tag.line}: computes: ${tag.text}`);
    else if (tag.kind === 'output' && !OUTPUT.test(tag.code)) wrong.push(`${tag.line}: computes: ${tag.text}`);
  }
  return wrong;
}

describe('the shared templates', () => {
  for (const file of CONVERTED) {
    it(`${file} names no feature and only iterates prepared values`, () => {
      expect(problems(readFileSync(join(TEMPLATES, file), 'utf8'))).toEqual([]);
    });
  }

  for (const file of FEATURE_FILES) {
    it(`${file} reads no feature's options and only iterates prepared values`, () => {
      expect(problems(readFileSync(join(componentsDir, file), 'utf8'), { mayAdapt: true })).toEqual([]);
    });
  }

  for (const file of SLOT_FILES) {
    it(`${file} names no feature and only iterates prepared values`, () => {
      expect(problems(readFileSync(join(componentsDir, file), 'utf8'))).toEqual([]);
    });
  }

  it('rejects what the converted templates must not do', () => {
    expect(problems('<% if (has.redis) { -%>\nx\n<% } -%>\n')).toHaveLength(1);
    expect(problems('<%= options.database.engine %>')).toHaveLength(1);
    expect(problems("<% if (slots.make.length > 0) { -%>")).toHaveLength(1);
    expect(problems("<% if (engine === 'postgres') { -%>")).toHaveLength(1);
    expect(problems('<%- slots.pytest.plugins.join(", ") %>')).toHaveLength(1);
    expect(problems('<%= tls ? "/:443" : "" %>')).toHaveLength(1);
    expect(problems('<% for (const x of list.filter(Boolean)) { -%>')).toHaveLength(1);
    expect(problems('<% const x = 1 -%>')).toHaveLength(1);
    expect(problems('<% for (const check of slots.health.checks) { -%>\n<%= check.name %>\n<% } else { -%>\n<% } -%>')).toEqual([]);
  });
});
