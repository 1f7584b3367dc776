import type { OptionValues } from '../model/feature-spec.js';

/**
 * Which of a feature's folders are template roots, and when. A feature folder may hold:
 * - `templates/`: always;
 * - `templates[<option>=<value>]/`: when the feature's own option has that value (`templates[backend=taskiq]/`),
 *   so each value of an option brings its own files without conditions in them; `<value>,<value>` for files two
 *   values share (`templates[backend=taskiq,dramatiq]/`);
 * - `templates-with-<other>/`, `templates-without-<other>/`: when the other feature is (is not) in the project;
 * - `templates-with-<other>[<option>=<value>]/`, `templates-without-<other>[<option>=<value>]/`: when the other
 *   feature is (is not) in the project with that option value (`templates-with-worker[backend=arq]/`).
 * The bracket reads like the feature request it matches (`worker[backend=arq]`).
 */
export interface TemplateFolder {
  /** The feature whose presence (and option) decides; `undefined` for the feature's own folders. */
  readonly other?: string;
  /** `true` for `templates-with-…` and own folders, `false` for `templates-without-…`. */
  readonly present: boolean;
  /** The option and the values (any one of them) the folder is rendered for. */
  readonly option?: { readonly name: string; readonly values: readonly string[] };
}

const FOLDER = /^templates(?:-(with|without)-([a-z0-9-]+))?(?:\[([a-z0-9_-]+)=([a-z0-9_.-]+(?:,[a-z0-9_.-]+)*)\])?$/;

/** What a folder name means, or `undefined` when it is not a template folder. */
export function parseTemplateFolder(folder: string): TemplateFolder | undefined {
  const match = FOLDER.exec(folder);
  if (!match) return undefined;
  const option = match[3] === undefined ? undefined : { name: match[3], values: match[4]!.split(',') };
  return { other: match[2], present: match[1] !== 'without', ...(option ? { option } : {}) };
}

/** The features of a project and their option values (defaults filled in). */
export interface ProjectFeatures {
  readonly present: ReadonlySet<string>;
  readonly options: Readonly<Record<string, OptionValues>>;
}

/** Whether `folder` of feature `owner` is rendered in a project with these features. */
export function templateFolderApplies(folder: string, owner: string, project: ProjectFeatures): boolean {
  const parsed = parseTemplateFolder(folder);
  if (!parsed) return false;
  const name = parsed.other ?? owner;
  const matches =
    project.present.has(name) && (!parsed.option || parsed.option.values.includes(project.options[name]?.[parsed.option.name] ?? ''));
  return matches === parsed.present;
}
