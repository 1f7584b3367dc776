import { packageVersion } from '../package-info.js';
import { parseState } from '../model/project-state.js';
import type { FileContents } from '../engine/reconcile.js';
import { render } from '../engine/render.js';

/**
 * The entry another generator-aegis version loads to render a project exactly as this version does: `aegis
 * update` renders the recorded version's side with that version's own code, versions table and templates. It is
 * bundled on its own (dist/engine/render-recorded.js, dependencies included), so loading it needs no install.
 * Change the shape only together with RENDER_API and the loader in shared/update/version-renderer.ts.
 */
export const RENDER_API = 1;

export interface RecordedRender {
  readonly version: string;
  readonly files: ReadonlyArray<readonly [string, FileContents]>;
}

/** The project this version renders for the answers in a .yo-rc.json text. */
export function renderRecorded(stateText: string): RecordedRender {
  const state = parseState(stateText);
  return { version: packageVersion, files: [...render(state.answers, { generatorVersion: packageVersion })] };
}
