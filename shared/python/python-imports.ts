import type { PythonImport } from '../model/slots/python-import.js';
import { PYTHON_STDLIB_MODULES } from './python-stdlib.js';

/** Top-level packages ruff counts as first-party in a generated project (`known-first-party`, and `tests/`). */
const FIRST_PARTY = new Set(['app', 'tests']);

/** ruff's isort sections, in order: standard library, third-party, first-party. */
function section(module: string): number {
  const top = module.split('.')[0]!;
  if (FIRST_PARTY.has(top)) return 2;
  return PYTHON_STDLIB_MODULES.has(top) ? 0 : 1;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** ruff's `order-by-type`: CONSTANTS, then Classes, then everything else; then case-insensitively. */
function memberKey(name: string): [number, string, string] {
  const bare = name.split(' as ')[0]!;
  const kind = bare.length > 1 && bare === bare.toUpperCase() && bare !== bare.toLowerCase() ? 0 : /^[A-Z]/.test(bare) ? 1 : 2;
  return [kind, bare.toLowerCase(), name];
}

function compareMembers(a: string, b: string): number {
  const [ka, kb] = [memberKey(a), memberKey(b)];
  return ka[0] - kb[0] || compare(ka[1], kb[1]) || compare(ka[2], kb[2]);
}

/** `from module import a, b`, wrapped one name per line (magic trailing comma) when longer than 88 characters. */
function fromLine(module: string, names: readonly string[]): string {
  const line = `from ${module} import ${names.join(', ')}`;
  return line.length <= 88 ? line : `from ${module} import (\n${names.map((name) => `    ${name},`).join('\n')}\n)`;
}

/**
 * An import block as ruff's isort (its defaults, `known-first-party = ["app"]`) writes it: sections separated by
 * one blank line; in each, `import x` lines before `from x import …` lines, each sorted by module
 * (case-insensitively); a module's names merged and sorted by type. A name without `from` (`{ module: 'typer',
 * names: [] }`) is `import typer`. Aliased names keep a line of their own, as ruff does without
 * `combine-as-imports`.
 */
export function pythonImportBlock(imports: readonly PythonImport[]): string {
  const straight = new Set<string>();
  const from = new Map<string, Set<string>>();
  const aliased = new Map<string, Set<string>>();
  for (const { module, names } of imports) {
    if (names.length === 0) straight.add(module);
    for (const name of names) {
      const target = name.includes(' as ') ? aliased : from;
      target.set(module, (target.get(module) ?? new Set()).add(name));
    }
  }
  type Line = { section: number; straight: boolean; module: string; alias: string; text: string };
  const lines: Line[] = [...straight].map((module) => ({ section: section(module), straight: true, module, alias: '', text: `import ${module}` }));
  for (const [module, names] of from) {
    lines.push({ section: section(module), straight: false, module, alias: '', text: fromLine(module, [...names].sort(compareMembers)) });
  }
  for (const [module, names] of aliased) {
    for (const name of names) lines.push({ section: section(module), straight: false, module, alias: name, text: fromLine(module, [name]) });
  }
  lines.sort(
    (a, b) =>
      a.section - b.section ||
      Number(a.straight === false) - Number(b.straight === false) ||
      compare(a.module.toLowerCase(), b.module.toLowerCase()) ||
      compare(a.module, b.module) ||
      compareMembers(a.alias, b.alias),
  );
  const sections = [0, 1, 2]
    .map((index) => lines.filter((line) => line.section === index).map((line) => line.text))
    .filter((texts) => texts.length > 0);
  return sections.map((texts) => texts.join('\n')).join('\n\n');
}
