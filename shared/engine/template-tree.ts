import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';

/** One template file and the project path it renders to. */
export interface TemplateFile {
  readonly source: string;
  readonly target: string;
  readonly isTemplate: boolean;
}

/**
 * `dot-gitignore` → `.gitignore` (npm drops some dotfiles from packages, so templates never start with a dot);
 * `pyproject.toml.ejs` → `pyproject.toml`, rendered with EJS; anything else is copied as it is.
 */
function targetSegment(segment: string): string {
  return segment.startsWith('dot-') ? `.${segment.slice('dot-'.length)}` : segment;
}

export function listTemplateFiles(root: string): TemplateFile[] {
  const files: TemplateFile[] = [];
  const walk = (dir: string, relative: string[]): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const source = join(dir, entry.name);
      const segments = [...relative, targetSegment(entry.name)];
      if (entry.isDirectory()) {
        walk(source, segments);
      } else if (entry.isFile()) {
        const isTemplate = entry.name.endsWith('.ejs');
        const target = posix.join(...segments);
        files.push({ source, target: isTemplate ? target.slice(0, -'.ejs'.length) : target, isTemplate });
      }
    }
  };
  walk(root, []);
  return files.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}
