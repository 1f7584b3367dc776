import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AegisError } from '../errors.js';
import { PackageFetchError, installDependencies } from '../npm/fetch-package.js';
import type { ProjectAnswers } from '../model/answers.js';
import type { FileContents } from '../engine/reconcile.js';
import type { RecordedRender } from './render-recorded.js';
import type { RenderedTree } from '../engine/render.js';

const SUPPORTED_RENDER_API = 1;

interface RendererModule {
  readonly RENDER_API: number;
  renderRecorded(stateText: string): RecordedRender;
}

/** Versions since 0.4.0 ship a self-contained renderer (see render-recorded.ts). */
async function renderWithEntry(entry: string, stateText: string, root: string): Promise<RenderedTree> {
  const module = (await import(pathToFileURL(entry).href)) as RendererModule;
  if (module.RENDER_API !== SUPPORTED_RENDER_API) {
    throw new AegisError(`The package in ${root} renders with API ${module.RENDER_API}; this generator-aegis reads ${SUPPORTED_RENDER_API}: update generator-aegis.`);
  }
  return new Map(module.renderRecorded(stateText).files);
}

/**
 * Versions up to 0.3.0 have only their compiled modules, which import their dependencies: in a fetched copy those
 * are installed once (as npm install --omit=dev would, with npm's arborist), then the copy's own readState and render are used.
 */
async function renderWithModules(root: string, stateText: string, version: string): Promise<RenderedTree> {
  const fromPackage = createRequire(join(root, 'package.json'));
  try {
    fromPackage.resolve('ejs');
  } catch {
    try {
      await installDependencies(root);
    } catch (error) {
      if (!(error instanceof PackageFetchError)) throw error;
      throw new AegisError(`Cannot install the dependencies of generator-aegis ${version} in ${root}: ${error.reason}.`);
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), 'aegis-state-'));
  try {
    writeFileSync(join(scratch, '.yo-rc.json'), stateText);
    const state = (await import(pathToFileURL(join(root, 'dist', 'shared', 'project-state.js')).href)) as {
      readState(projectRoot: string): { answers: ProjectAnswers };
    };
    const renderer = (await import(pathToFileURL(join(root, 'dist', 'shared', 'render.js')).href)) as {
      render(answers: ProjectAnswers, options: { generatorVersion: string }): ReadonlyMap<string, FileContents>;
    };
    return renderer.render(state.readState(scratch).answers, { generatorVersion: version });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The project as generator-aegis in `packageRoot` renders it for the answers in a .yo-rc.json text. */
export async function renderWithVersion(packageRoot: string, stateText: string): Promise<RenderedTree> {
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const entry = join(packageRoot, 'dist', 'engine', 'render-recorded.js');
  if (existsSync(entry)) return renderWithEntry(entry, stateText, packageRoot);
  if (existsSync(join(packageRoot, 'dist', 'shared', 'render.js'))) return renderWithModules(packageRoot, stateText, version);
  throw new AegisError(`The package in ${packageRoot} has no renderer (dist/engine/render-recorded.js): is it a generator-aegis build?`);
}
