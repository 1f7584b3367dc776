// First: on a Node this package does not support, loading stops here with a clear line (shared/node-guard.ts).
import '../../shared/node-guard.js';
import Generator from 'yeoman-generator';
import type { UpdateOptions } from '../../shared/options/parse.js';
import { registerOptions } from '../../shared/yeoman/generator-options.js';
import { UPDATE_COMMAND_OPTIONS } from '../../shared/options/update.js';
import { type PreparedUpdate, checkUpdateCommand, locateOldPackage, runUpdate } from '../../shared/commands/run-update.js';

/** `yo aegis:update` / `aegis update`: brings the template changes since the recorded version into the project. */
export default class UpdateGenerator extends Generator {
  private settings?: UpdateOptions;
  private prepared?: PreparedUpdate;

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options as never, { customInstallTask: true });
    registerOptions(this, UPDATE_COMMAND_OPTIONS);
    // Checks that can fail on the user's input run here, before the run loop: the error is then one line alone.
    if (!this.options.help) this._prepare();
  }

  _prepare(): void {
    const log = (line: string): void => {
      this.log(line);
    };
    ({ settings: this.settings, prepared: this.prepared } = checkUpdateCommand(this.options as Record<string, unknown>, this.env.cwd, log));
  }

  async initializing(): Promise<void> {
    if (!this.prepared || !this.settings) return;
    this.prepared = await locateOldPackage(this.prepared, this.settings, (line) => this.log(line));
  }

  /** The whole update, and the exit status it ends with: this is the generator's last task. */
  async writing(): Promise<void> {
    if (!this.prepared || !this.settings) return;
    const result = await runUpdate(this.prepared, this.settings, { log: (text) => this.log(text), print: (text) => process.stdout.write(text) });
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  }
}
