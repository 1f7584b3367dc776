/** The `aegis plugins` subcommands' work, loaded only when one runs (see plugins.ts). */
import { createInterface } from 'node:readline/promises';
import { AegisError } from '../../shared/errors.js';
import { applyAndReport, reportChanges, type CommandOutput } from '../../shared/commands/apply-and-report.js';
import { formatChangeReport, formatConflicts } from '../../shared/engine/change-report.js';
import { fetchPlugin } from '../../shared/plugins/plugin-fetch.js';
import { loadPluginPackage } from '../../shared/plugins/plugin-package.js';
import { type PluginPlan, featuresInUse, planPluginAdd, planPluginRemove, planPluginUpdate, recordedEntry } from '../../shared/plugins/plugin-change.js';
import { describePlugin } from '../../shared/plugins/plugin-describe.js';
import { recordedPlugin } from '../../shared/plugins/activate.js';
import { createPluginPackage } from '../../shared/plugins/plugin-scaffold.js';

import { loadCommandProject } from '../project.js';

const output: CommandOutput = { log: (text) => process.stderr.write(`${text}\n`), print: (text) => process.stdout.write(text) };

export interface PluginOptions {
  projectPath?: string;
  yes?: boolean;
  dryRun?: boolean;
  skipInstall?: boolean;
}

async function confirm(question: string, options: PluginOptions): Promise<void> {
  if (options.yes || options.dryRun) return;
  if (!process.stdin.isTTY) throw new AegisError(`${question} Not asked without a terminal: pass --yes to go ahead (nothing was changed).`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new AegisError('Cancelled: nothing was changed.');
  } finally {
    prompt.close();
  }
}

async function apply(root: string, plan: PluginPlan, options: PluginOptions, done: string): Promise<void> {
  const result = await applyAndReport({
    root,
    changes: plan.changes,
    options: { dryRun: options.dryRun === true, skipInstall: options.skipInstall === true },
    output,
    preview: () => ({ text: `${formatChangeReport(plan.changes, { diffs: true, dryRun: true })}\nDry run: nothing was written.\n` }),
    report: (changes) =>
      reportChanges(root, changes, {
        conflicts: (conflicted) => `${formatConflicts(conflicted)}\nResolve them, then run "aegis doctor"; the install step was skipped.`,
        done,
      }),
  });
  if (result.exitCode !== 0) process.exitCode = result.exitCode;
}

export async function addPlugin(source: string, options: PluginOptions): Promise<void> {
  // Fetched first: a project whose recorded plugin is missing from the cache loads once it is back.
  const plugin = loadPluginPackage(await fetchPlugin(source, output.log), source);
  const project = loadCommandProject(options as Record<string, unknown>);
  if (recordedEntry(project.state, plugin.name) === `${plugin.name}@${plugin.version}`) {
    output.log(`${project.root} uses ${plugin.name}@${plugin.version} already; it is in the plugin cache now.`);
    return;
  }
  output.log(describePlugin(plugin).join('\n'));
  const plan = planPluginAdd(project, plugin);
  await confirm(`Record ${plugin.name}@${plugin.version} in ${project.root}?`, options);
  const features = plugin.features.map((feature) => feature.spec.name).join(' ');
  await apply(project.root, plan, options, `Recorded ${plugin.name}@${plugin.version}. Add its features with "aegis add ${features}".`);
}

export function listPlugins(options: PluginOptions): void {
  const { state } = loadCommandProject(options as Record<string, unknown>);
  const entries = state.answers.plugins ?? [];
  if (entries.length === 0) {
    process.stdout.write('No plugins (add one with "aegis plugins add <package>").\n');
    return;
  }
  for (const entry of entries) {
    const plugin = recordedPlugin(entry);
    const inUse = new Set(featuresInUse(state, plugin));
    const features = plugin.features.map((feature) => `${feature.spec.name}${inUse.has(feature.spec.name) ? ' (in the project)' : ''}`);
    process.stdout.write(`${entry}  ${features.join(', ')}\n`);
  }
}

export async function pluginInfo(name: string, options: PluginOptions): Promise<void> {
  let entry: string | undefined;
  try {
    entry = recordedEntry(loadCommandProject(options as Record<string, unknown>).state, name);
  } catch (error) {
    if (!(error instanceof AegisError)) throw error;
  }
  const plugin = entry ? recordedPlugin(entry) : loadPluginPackage(await fetchPlugin(name, output.log), name);
  process.stdout.write(`${describePlugin(plugin).join('\n')}\n`);
}

export async function removePlugin(name: string, options: PluginOptions): Promise<void> {
  const project = loadCommandProject(options as Record<string, unknown>);
  const plan = planPluginRemove(project, name);
  await apply(project.root, plan, options, `Removed the plugin ${name} from ${project.root}.`);
}

export async function updatePlugin(source: string, options: PluginOptions): Promise<void> {
  const project = loadCommandProject(options as Record<string, unknown>);
  const plugin = loadPluginPackage(await fetchPlugin(source, output.log), source);
  const existing = recordedEntry(project.state, plugin.name);
  const plan = planPluginUpdate(project, plugin);
  if (existing === `${plugin.name}@${plugin.version}`) {
    output.log(`${project.root} uses ${existing} already: nothing to update.`);
    return;
  }
  output.log(describePlugin(plugin).join('\n'));
  await confirm(`Move ${existing} to ${plugin.version} in ${project.root}?`, options);
  await apply(project.root, plan, options, `Updated ${existing} to ${plugin.version}.`);
}

export function createPlugin(name: string, options: { directory?: string }): void {
  const folder = createPluginPackage(name, options.directory);
  output.log(`Created ${name} in ${folder}. Next: cd ${folder} && npm install && npm test (see docs/plugins.md).`);
}
