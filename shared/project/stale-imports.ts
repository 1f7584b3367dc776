import type { FileChange } from '../engine/reconcile.js';
import { importNames, normalizeDistributionName } from '../model/versions.js';

/** A line importing a module of a distribution the change took out of pyproject.toml. */
export interface StaleImport {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  readonly distribution: string;
}

/** The distributions `[project] dependencies` names, PEP 503 normalised. */
export function projectDependencies(pyproject: string): Set<string> {
  const names = new Set<string>();
  const section = /^\[project\][ \t]*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject)?.[1] ?? '';
  const list = /^dependencies\s*=\s*\[/m.exec(section);
  if (!list) return names;
  let quote: string | undefined;
  let current = '';
  for (let index = list.index + list[0].length; index < section.length; index += 1) {
    const char = section[index]!;
    if (quote) {
      if (char === quote) {
        const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(current)?.[1];
        if (name) names.add(normalizeDistributionName(name));
        quote = undefined;
        current = '';
      } else current += char;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') index = section.indexOf('\n', index) === -1 ? section.length : section.indexOf('\n', index);
    else if (char === ']') break;
  }
  return names;
}

/** The distributions in `before`'s dependencies that `after` no longer has. */
export function droppedDistributions(before: string, after: string): string[] {
  const kept = projectDependencies(after);
  return [...projectDependencies(before)].filter((name) => !kept.has(name)).sort();
}

/** The top-level modules a line imports (`import a.b as c, d` → a, d; `from a.b import c` → a; relative: none). */
function importedModules(line: string): string[] {
  const from = /^\s*from\s+([A-Za-z_]\w*)[\w.]*\s+import\b/.exec(line);
  if (from) return [from[1]!];
  const plain = /^\s*import\s+(.+)$/.exec(line);
  if (!plain) return [];
  return plain[1]!
    .replace(/#.*$/, '')
    .split(',')
    .map((part) => /^\s*([A-Za-z_]\w*)/.exec(part)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Every import line (top level or indented, outside triple-quoted strings) of a module of a dropped distribution. */
export function findStaleImports(files: ReadonlyMap<string, string>, dropped: readonly string[]): StaleImport[] {
  const owner = new Map<string, string>();
  for (const distribution of dropped) for (const module of importNames(distribution)) owner.set(module, distribution);
  if (owner.size === 0) return [];
  const found: StaleImport[] = [];
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let inString: string | undefined;
    text.split(/\r?\n/).forEach((line, index) => {
      const startsInString = inString !== undefined;
      for (const quote of line.match(/"""|'''/g) ?? []) {
        if (inString === undefined) inString = quote;
        else if (inString === quote) inString = undefined;
      }
      if (startsInString) return;
      for (const module of importedModules(line)) {
        const distribution = owner.get(module);
        if (distribution) found.push({ path, line: index + 1, text: line.trim(), distribution });
      }
    });
  }
  return found;
}

/** The lines that tell the user which kept files still import what the change dropped, and the fix. */
export function formatStaleImports(stale: readonly StaleImport[]): string {
  const distributions = [...new Set(stale.map((item) => item.distribution))];
  return [
    `${new Set(stale.map((item) => item.path)).size === 1 ? 'A file still imports' : 'Files still import'} what was just removed from pyproject.toml (${distributions.join(', ')}); it will fail with "No module named …":`,
    ...stale.map((item) => `  ${item.path}:${item.line}  ${item.text}  (${item.distribution})`),
    `Remove the import, or add the dependency back with \`uv add ${distributions.join(' ')}\`.`,
  ].join('\n');
}

/**
 * After a change: the stale imports in the project's Python files of what its pyproject.toml change dropped.
 * `readPythonFiles` is called only when something was dropped.
 */
export function staleImportsAfter(changes: readonly FileChange[], readPythonFiles: () => ReadonlyMap<string, string>): StaleImport[] {
  const pyproject = changes.find((change) => change.path === 'pyproject.toml');
  if (typeof pyproject?.before !== 'string' || typeof pyproject.after !== 'string') return [];
  const dropped = droppedDistributions(pyproject.before, pyproject.after);
  return dropped.length ? findStaleImports(readPythonFiles(), dropped) : [];
}
