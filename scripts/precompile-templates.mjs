// Compiles the EJS templates copied into dist/ (the base's and every component's templates and fragments, and the
// specs' compose environment values) into one CommonJS module of functions, dist/templates.compiled.cjs, so a command
// does not compile them again at run time (shared/engine/ejs-template.ts loads it). Each function is keyed by the
// sha256 of its template's text: it is used only for a template with exactly that text, whatever its path; any other
// template (a plugin's, one changed since the build, the sources under test) is compiled at run time as before.
//
// The function body is the one ejs itself generates at run time (captured from ejs.compile with the options the
// renderer uses), so output and error messages are the same; the file name in them and the template's text (quoted
// by ejs for the lines around an error) are parameters. CommonJS without "use strict": ejs's generated code uses
// `with`. Each function is parenthesised so that V8 compiles it with the module and Node's compile cache keeps it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';

export const COMPILED_TEMPLATES_FILE = 'templates.compiled.cjs';
/** What ejs's generated function is declared with (its `localsName` and the helpers it is given). */
const EJS_PARAMETERS = 'locals, escapeFn, include, rethrow';
const FILENAME_PLACEHOLDER = '\u0000aegis-template-filename\u0000';

function templateFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ejs'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The body of the function ejs.compile builds for `text`, with the options shared/engine/ejs-template.ts renders with. */
function generatedBody(text) {
  const RealFunction = globalThis.Function;
  const built = [];
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args, newTarget) {
      built.push(args);
      return Reflect.construct(target, args, newTarget);
    },
  });
  try {
    ejs.compile(text, { filename: FILENAME_PLACEHOLDER, strict: false, async: false });
  } finally {
    globalThis.Function = RealFunction;
  }
  if (built.length !== 1 || built[0].length !== 2 || built[0][0] !== EJS_PARAMETERS) {
    throw new Error(`ejs.compile no longer builds one function of (${EJS_PARAMETERS}): update scripts/precompile-templates.mjs`);
  }
  const quoted = JSON.stringify(FILENAME_PLACEHOLDER);
  const body = built[0][1].replace(`\n//# sourceURL=${quoted}\n`, '\n');
  if (body.split(quoted).length !== 2) throw new Error('ejs no longer names the template file once in its generated code');
  // The text for the lines around an error: the one read at run time (whose hash matched), unless ejs changed it
  // (its whitespace-slurping tags do), when its own copy stays.
  const lines = `__lines = ${JSON.stringify(text)}\n`;
  const withText = body.split(lines).length === 2 ? body.replace(lines, '__lines = __aegisText\n') : body;
  return withText.replace(quoted, '__aegisFilename');
}

/**
 * Writes dist/templates.compiled.cjs from the .ejs files under each of `folders` and the EJS strings of the specs
 * (`texts`: compose environment values); returns how many functions it holds.
 */
export function precompileTemplates(dist, folders, texts = []) {
  const functions = new Map();
  const files = folders.flatMap((folder) => templateFiles(folder)).sort();
  for (const text of [...files.map((file) => readFileSync(file, 'utf8')), ...texts]) {
    const key = createHash('sha256').update(text).digest('hex');
    if (functions.has(key)) continue;
    const body = generatedBody(text);
    // A template that includes another needs ejs's own include: it is compiled at run time.
    if (/\binclude\b/.test(body.replace(/"(?:[^"\\\n]|\\.)*"/g, '""'))) continue;
    functions.set(key, body);
  }
  const entries = [...functions].map(
    ([key, body]) => `${JSON.stringify(key)}: (function (${EJS_PARAMETERS}, __aegisFilename, __aegisText) {\n${body}}),`,
  );
  writeFileSync(
    join(dist, COMPILED_TEMPLATES_FILE),
    `// Written by scripts/precompile-templates.mjs: ejs's functions for the templates in this package, by the sha256 of their text.\n` +
      `module.exports = {\n${entries.join('\n')}\n};\n`,
  );
  return functions.size;
}
