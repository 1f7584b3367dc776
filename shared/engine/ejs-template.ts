/**
 * Every EJS template and fragment is rendered here, with one set of options (`strict: false`: templates read the
 * context's names bare). A template the build compiled (scripts/precompile-templates.mjs writes
 * dist/templates.compiled.cjs, keyed by the sha256 of each template's text) is not compiled again; any other (a
 * plugin's, the sources under test) is compiled by ejs, once per process and text.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ejs from 'ejs';
import { codeRoot } from '../package-info.js';

type Escape = (value: unknown) => string;
type Rethrow = (error: Error, text: string, filename: string | undefined, line: number, escape: Escape) => never;

/** ejs's generated function as the build emits it: ejs's own parameters, then the file name and text errors quote. */
export type CompiledTemplate = (
  locals: object,
  escapeFn: Escape,
  include: () => never,
  rethrow: Rethrow,
  filename: string | undefined,
  text: string,
) => string;

/** The build's functions by the sha256 of their template's text. */
export type CompiledTemplates = Readonly<Record<string, CompiledTemplate>>;

let packaged: CompiledTemplates | undefined;
const compiledAtRunTime = new Map<string, ejs.TemplateFunction>();

/** The functions a build wrote to `file` (none when there is no such file: running from the sources). */
export function loadCompiledTemplates(file: string): CompiledTemplates {
  return existsSync(file) ? (createRequire(import.meta.url)(file) as CompiledTemplates) : {};
}

function packagedTemplates(): CompiledTemplates {
  packaged ??= loadCompiledTemplates(join(codeRoot, 'templates.compiled.cjs'));
  return packaged;
}

/** ejs's error for a failing template: the file and line, the lines around it, then the error's own message. */
const rethrow: Rethrow = (error, text, filename, line, escape) => {
  const lines = text.split('\n');
  const start = Math.max(line - 3, 0);
  const end = Math.min(lines.length, line + 3);
  const escapedName = escape(filename);
  const context = lines
    .slice(start, end)
    .map((source, index) => `${index + start + 1 === line ? ' >> ' : '    '}${index + start + 1}| ${source}`)
    .join('\n');
  (error as Error & { path?: string }).path = escapedName;
  error.message = `${escapedName || 'ejs'}:${line}\n${context}\n\n${error.message}`;
  throw error;
};

/** What ejs hands a template: the data's own properties but `__proto__` and `constructor`, on no prototype. */
function templateLocals(data: object): object {
  const locals = Object.create(null) as Record<string, unknown>;
  for (const name in data) {
    if (!Object.hasOwn(data, name) || name === '__proto__' || name === 'constructor') continue;
    locals[name] = (data as Record<string, unknown>)[name];
  }
  return locals;
}

/** The build compiles no template that includes another (scripts/precompile-templates.mjs). */
function noInclude(): never {
  throw new Error('generator-aegis: a precompiled template cannot include another');
}

/** `text` rendered with EJS and `data`; `filename` names the template in errors. */
export function renderEjsTemplate(text: string, data: object, filename: string | undefined, compiled = packagedTemplates()): string {
  const built = compiled[createHash('sha256').update(text).digest('hex')];
  if (built) return built(templateLocals(data), ejs.escapeXML, noInclude, rethrow, filename, text);
  const key = `${filename ?? ''}\u0000${text}`;
  let render = compiledAtRunTime.get(key);
  if (!render) {
    render = ejs.compile(text, { ...(filename ? { filename } : {}), strict: false, async: false });
    compiledAtRunTime.set(key, render);
  }
  return render(data as ejs.Data);
}
