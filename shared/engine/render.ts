import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectAnswers } from '../model/answers.js';
import { baseTemplatesDir } from '../package-info.js';
import { featureFolder } from '../model/registry.js';
import { serializeState, STATE_FILE } from '../model/project-state.js';
import { resolveSelection } from '../model/feature-selection.js';
import { decodeFile } from './file-contents.js';
import { renderEjsTemplate } from './ejs-template.js';
import type { FileContents } from './reconcile.js';
import { buildTemplateContext, type TemplateContext } from './template-context.js';
import { templateFolderApplies } from './template-folders.js';
import { type TemplateFile, listTemplateFiles } from './template-tree.js';
import { activateRecordedPlugins } from '../plugins/activate.js';

/** A whole project as files: project-relative POSIX path → contents, sorted by path. */
export type RenderedTree = ReadonlyMap<string, FileContents>;

export interface RenderOptions {
  readonly generatorVersion: string;
  /** Template folders and files already read by another render of the same command (the other side of a change). */
  readonly templates?: TemplateReads;
}

/** The template folders listed and template files read, each once, for the renders that share it. */
export interface TemplateReads {
  list(root: string): readonly TemplateFile[];
  read(source: string): Buffer;
}

export function templateReads(): TemplateReads {
  const lists = new Map<string, readonly TemplateFile[]>();
  const files = new Map<string, Buffer>();
  const once = <T>(cache: Map<string, T>, key: string, load: (key: string) => T): T => {
    if (!cache.has(key)) cache.set(key, load(key));
    return cache.get(key)!;
  };
  return {
    list: (root) => once(lists, root, listTemplateFiles),
    read: (source) => once(files, source, (path) => readFileSync(path)),
  };
}

/**
 * The base templates, then each selected feature's `templates/`, plus `templates[<option>=<value>]/` for its option
 * values, `templates-with-<feature>/` when that feature is in the project and `templates-without-<feature>/` when it
 * is not (files that exist only in some combinations, e.g. the AI service's database store); see
 * `template-folders.ts`.
 */
function templateRoots(answers: ProjectAnswers): string[] {
  const selection = resolveSelection(answers, answers.options);
  const project = { present: new Set(selection.features.map((feature) => feature.name)), options: selection.options };
  const roots = [baseTemplatesDir];
  for (const feature of selection.features) {
    const dir = featureFolder(feature);
    for (const entry of dir && existsSync(dir) ? readdirSync(dir).sort() : []) {
      if (templateFolderApplies(entry, feature.name, project)) roots.push(join(dir!, entry));
    }
  }
  return roots;
}

/** A template rendered with EJS; any other file copied as it is (bytes that are not UTF-8 text stay bytes). */
function renderFile(bytes: Buffer, source: string, isTemplate: boolean, context: TemplateContext): FileContents {
  if (!isTemplate) return decodeFile(bytes);
  return renderEjsTemplate(bytes.toString('utf8'), context, source);
}

/** render(answers) → files: the complete project tree for these answers, the same every time. */
export function render(answers: ProjectAnswers, options: RenderOptions): RenderedTree {
  activateRecordedPlugins(answers.plugins ?? []);
  const context = buildTemplateContext(answers);
  const files = new Map<string, FileContents>();
  const templates = options.templates ?? templateReads();
  for (const root of templateRoots(answers)) {
    for (const file of templates.list(root)) {
      if (files.has(file.target)) throw new Error(`Two templates render ${file.target} (${file.source})`);
      files.set(file.target, renderFile(templates.read(file.source), file.source, file.isTemplate, context));
    }
  }
  files.set(STATE_FILE, serializeState({ version: options.generatorVersion, answers }));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A rendered text file; throws when the tree has no such file or it is not text. */
export function renderedText(tree: RenderedTree, path: string): string {
  const contents = tree.get(path);
  if (typeof contents !== 'string') throw new Error(`${path} was not rendered as a text file`);
  return contents;
}
