import type { Command } from 'commander';
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

interface PluginOptions {
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

function withProjectOptions(command: Command, confirmation: boolean): Command {
  command.option('-p, --project-path <dir>', 'The project (default: the current folder)');
  if (confirmation) {
    command
      .option('-y, --yes', 'Ask nothing (headless)')
      .option('--dry-run', 'Show what would change; write nothing')
      .option('--skip-install', 'Do not run uv sync and the lint checks after the change');
  }
  return command;
}

export function registerPlugins(program: Command): void {
  const plugins = program
    .command('plugins')
    .description('Third-party components and services from npm packages: add, list, info, update, remove, create (see docs/plugins.md)');

  withProjectOptions(plugins.command('add').argument('<source>', 'an npm package (name or name@range), a plugin folder or an "npm pack" tarball'), true)
    .description('Fetch a plugin into the cache (no install scripts run), show it, and record it in the project')
    .action(async (source: string, options: PluginOptions) => {
      const project = loadCommandProject(options as Record<string, unknown>);
      const plugin = loadPluginPackage(fetchPlugin(source, output.log), source);
      output.log(describePlugin(plugin).join('\n'));
      const plan = planPluginAdd(project, plugin);
      await confirm(`Record ${plugin.name}@${plugin.version} in ${project.root}?`, options);
      const features = plugin.features.map((feature) => feature.spec.name).join(' ');
      await apply(project.root, plan, options, `Recorded ${plugin.name}@${plugin.version}. Add its features with "aegis add ${features}".`);
    });

  withProjectOptions(plugins.command('list'), false)
    .description('The plugins the project records, with their features and whether each is in the project')
    .action((options: PluginOptions) => {
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
    });

  withProjectOptions(plugins.command('info').argument('<plugin>', 'a recorded plugin name, or a source as for add'), false)
    .description('What a plugin brings: its features, what they require, their options and packages')
    .action((name: string, options: PluginOptions) => {
      let entry: string | undefined;
      try {
        entry = recordedEntry(loadCommandProject(options as Record<string, unknown>).state, name);
      } catch (error) {
        if (!(error instanceof AegisError)) throw error;
      }
      const plugin = entry ? recordedPlugin(entry) : loadPluginPackage(fetchPlugin(name, output.log), name);
      process.stdout.write(`${describePlugin(plugin).join('\n')}\n`);
    });

  withProjectOptions(plugins.command('remove').argument('<plugin>', 'a recorded plugin name'), true)
    .description('Stop recording a plugin (refused while one of its features is in the project)')
    .action(async (name: string, options: PluginOptions) => {
      const project = loadCommandProject(options as Record<string, unknown>);
      const plan = planPluginRemove(project, name);
      await apply(project.root, plan, options, `Removed the plugin ${name} from ${project.root}.`);
    });

  withProjectOptions(
    plugins.command('update').argument('<source>', 'a recorded plugin name (its latest version), name@range, a folder or a tarball'),
    true,
  )
    .description("Move a plugin to another version and merge its template changes into the project (3-way: your edits are kept)")
    .action(async (source: string, options: PluginOptions) => {
      const project = loadCommandProject(options as Record<string, unknown>);
      const plugin = loadPluginPackage(fetchPlugin(source, output.log), source);
      const existing = recordedEntry(project.state, plugin.name);
      const plan = planPluginUpdate(project, plugin);
      if (existing === `${plugin.name}@${plugin.version}`) {
        output.log(`${project.root} uses ${existing} already: nothing to update.`);
        return;
      }
      output.log(describePlugin(plugin).join('\n'));
      await confirm(`Move ${existing} to ${plugin.version} in ${project.root}?`, options);
      await apply(project.root, plan, options, `Updated ${existing} to ${plugin.version}.`);
    });

  plugins
    .command('create')
    .argument('<name>', 'the package name, e.g. aegis-plugin-audit (its feature is named after it: audit)')
    .option('-d, --directory <dir>', 'Where to create it (default: ./<name>)')
    .description('Scaffold a plugin package: one sample component, its templates, docs page and tests, ready for npm test and npm publish')
    .action((name: string, options: { directory?: string }) => {
      const folder = createPluginPackage(name, options.directory);
      output.log(`Created ${name} in ${folder}. Next: cd ${folder} && npm install && npm test (see docs/plugins.md).`);
    });
}


