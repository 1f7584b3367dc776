import type { Command } from 'commander';
import type { PluginOptions } from './plugin-actions.js';

// The actions (fetching, the engine, the scaffold) load only when a plugins subcommand runs: startup stays light.
const actions = () => import('./plugin-actions.js');

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
    .action(async (source: string, options: PluginOptions) => (await actions()).addPlugin(source, options));

  withProjectOptions(plugins.command('list'), false)
    .description('The plugins the project records, with their features and whether each is in the project')
    .action(async (options: PluginOptions) => (await actions()).listPlugins(options));

  withProjectOptions(plugins.command('info').argument('<plugin>', 'a recorded plugin name, or a source as for add'), false)
    .description('What a plugin brings: its features, what they require, their options and packages')
    .action(async (name: string, options: PluginOptions) => (await actions()).pluginInfo(name, options));

  withProjectOptions(plugins.command('remove').argument('<plugin>', 'a recorded plugin name'), true)
    .description('Stop recording a plugin (refused while one of its features is in the project)')
    .action(async (name: string, options: PluginOptions) => (await actions()).removePlugin(name, options));

  withProjectOptions(
    plugins.command('update').argument('<source>', 'a recorded plugin name (its latest version), name@range, a folder or a tarball'),
    true,
  )
    .description('Move a plugin to another version and merge its template changes into the project (3-way: your edits are kept)')
    .action(async (source: string, options: PluginOptions) => (await actions()).updatePlugin(source, options));

  plugins
    .command('create')
    .argument('<name>', 'the package name, e.g. aegis-plugin-audit (its feature is named after it: audit)')
    .option('-d, --directory <dir>', 'Where to create it (default: ./<name>)')
    .description('Scaffold a plugin package: one sample component, its templates, docs page and tests, ready for npm test and npm publish')
    .action(async (name: string, options: { directory?: string }) => (await actions()).createPlugin(name, options));
}
