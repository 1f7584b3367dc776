import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AegisError } from '../errors.js';

/** Refuses a target that is a file, or a non-empty folder unless forced. Creates nothing. */
export function assertTargetUsable(dir: string, force: boolean): void {
  if (!existsSync(dir)) {
    assertParentsAreFolders(dir);
    return;
  }
  if (!statSync(dir).isDirectory()) {
    throw new AegisError(`${dir} exists and is not a folder: choose another project name or --output-dir.`);
  }
  if (!force && readdirSync(dir).length > 0) {
    throw new AegisError(
      `${dir} already exists and is not empty: choose another name or --output-dir, or pass --force to generate into it (files the template provides are overwritten, your other files are kept).`,
    );
  }
}

/** A target whose nearest existing ancestor is a file could never be created (ENOTDIR). */
function assertParentsAreFolders(dir: string): void {
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    if (!existsSync(parent)) continue;
    if (statSync(parent).isDirectory()) return;
    throw new AegisError(`${parent} is a file, so ${dir} cannot be created in it: choose another --output-dir (a folder, or a path that does not exist yet).`);
  }
}
