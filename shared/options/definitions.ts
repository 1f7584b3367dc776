/** A command-line option, declared once and registered both on the Yeoman generator and on the `aegis` bin. */
export interface OptionDefinition {
  /** kebab-case, as typed on the command line. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly alias?: string;
  readonly valueName?: string;
}

/** `python-version` → `pythonVersion` */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Reads an option whether it arrived kebab-cased (yo, minimist) or camel-cased (commander, the API). */
export function readOption(options: Record<string, unknown>, name: string): unknown {
  return options[camelCase(name)] ?? options[name];
}
