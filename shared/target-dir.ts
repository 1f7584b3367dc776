import { existsSync, readdirSync, statSync } from 'node:fs';
import { AegisError } from './errors.js';

/** Refuses a target that is a file, or a non-empty folder unless forced. Creates nothing. */
export function assertTargetUsable(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new AegisError(`${dir} exists and is not a folder: choose another project name or --output-dir.`);
  }
  if (!force && readdirSync(dir).length > 0) {
    throw new AegisError(
      `${dir} already exists and is not empty: choose another name or --output-dir, or pass --force to generate into it (files the template provides are overwritten, your other files are kept).`,
    );
  }
}
