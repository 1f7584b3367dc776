import { posix } from 'node:path';
import { Minimatch } from 'minimatch';

/** The name of Yeoman's per-folder file of conflict resolutions. */
export const YO_RESOLVE_FILE = '.yo-resolve';

/** One line of a `.yo-resolve`: a glob relative to the file's folder, and what to do with the paths it matches. */
interface Rule {
  readonly pattern: Minimatch;
  readonly status: string;
  /** Where the rule was written, for the report: `.yo-resolve:3`. */
  readonly source: string;
}

/** What a `.yo-resolve` says of a path: its status (`skip`, `force`, …) and the line that says it. */
export interface Resolution {
  readonly status: string;
  readonly source: string;
}

/**
 * Yeoman's `.yo-resolve`, read as yo reads it (@yeoman/conflicter): in any folder of the project, one `<glob>
 * [status]` per line (also `glob=status`), `#` starts a comment, the status defaults to `skip`, and a glob is relative
 * to the file's folder (`!glob` matches every path the glob does not). The nearest folder's file decides first, and
 * in a file the first matching line. `read` gives a file's text by project path, or undefined.
 */
export function yoResolve(read: (path: string) => string | undefined): (path: string) => Resolution | undefined {
  const byFolder = new Map<string, readonly Rule[]>();
  const rulesOf = (folder: string): readonly Rule[] => {
    let rules = byFolder.get(folder);
    if (rules === undefined) {
      const file = folder === '' ? YO_RESOLVE_FILE : `${folder}/${YO_RESOLVE_FILE}`;
      rules = parseRules(read(file) ?? '', folder, file);
      byFolder.set(folder, rules);
    }
    return rules;
  };
  return (path) => {
    for (let folder = posix.dirname(path); ; folder = posix.dirname(folder)) {
      const here = folder === '.' ? '' : folder;
      const rule = rulesOf(here).find((candidate) => candidate.pattern.match(path));
      if (rule) return { status: rule.status, source: rule.source };
      if (here === '') return undefined;
    }
  };
}

function parseRules(text: string, folder: string, file: string): Rule[] {
  const rules: Rule[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.split('#')[0]!.trim();
    if (content === '') return;
    const [pattern = '', status = 'skip'] = content.split(/[\s=]+/);
    const negate = pattern.startsWith('!');
    const glob = posix.join(folder, negate ? pattern.slice(1) : pattern);
    rules.push({ pattern: new Minimatch(`${negate ? '!' : ''}${glob}`), status, source: `${file}:${index + 1}` });
  });
  return rules;
}
