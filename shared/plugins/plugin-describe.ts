import type { LoadedPlugin } from './plugin-package.js';

/** What `aegis plugins add/info` shows before anything is recorded: the package, and what each feature adds and requires. */
export function describePlugin(plugin: LoadedPlugin): string[] {
  const lines = [`${plugin.name} ${plugin.version}${plugin.description ? `: ${plugin.description}` : ''}`, `  plugin API ${plugin.pluginApi}, from ${plugin.root}`];
  for (const { spec } of plugin.features) {
    lines.push(`  ${spec.kind} ${spec.name}: ${spec.description}`);
    const requires = spec.requires.map((requirement) => `${requirement.name}${requirement.when ? ` (when ${Object.entries(requirement.when).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`);
    lines.push(`    requires: ${requires.length ? requires.join(', ') : 'nothing'}`);
    for (const option of spec.options) {
      lines.push(`    option ${option.name}: ${option.text ? option.text.label : option.values.join('|')} (default ${option.default || 'none'})`);
    }
    const packages = spec.pythonDependencies.map((dependency) => (typeof dependency === 'string' ? dependency : dependency.name));
    lines.push(`    Python packages: ${packages.length ? packages.join(', ') : 'none of its own'}`);
  }
  return lines;
}
