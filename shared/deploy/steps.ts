import { AegisError } from '../errors.js';
import type { DeploySession, RunResult } from './session.js';

export interface Output {
  /** A line of our own: a step title, a summary. */
  readonly log: (line: string) => void;
  /** Remote output as it arrives. */
  readonly stream: (chunk: string) => void;
  /** A line about a failure that is not an error of ours (a remote command's exit code); stderr. Defaults to log. */
  readonly error?: (line: string) => void;
}

/** Numbered steps over one session: a progress line per step, remote output streamed, a failure named. */
export class Steps {
  private index = 0;

  constructor(
    private readonly session: DeploySession,
    private readonly total: number,
    private readonly output: Output,
  ) {}

  announce(title: string): void {
    this.index += 1;
    this.output.log(`[${this.index}/${this.total}] ${title}`);
  }

  /** Runs a step's command; a non-zero exit fails with the step, the command and the exit code. */
  async run(title: string, command: string): Promise<RunResult> {
    this.announce(title);
    let result: RunResult;
    try {
      result = await this.session.run(command, this.output.stream);
    } catch (error) {
      // The connection went away: the step is named, and its outcome on the server is unknown.
      throw new AegisError(`Step "${title}" failed: ${(error as Error).message} Its outcome on the server is unknown.`);
    }
    if (result.code !== 0) throw stepFailure(title, command, result);
    return result;
  }

  /** Runs a command whose exit code the caller judges; output is streamed all the same. */
  async try(command: string): Promise<RunResult> {
    return this.session.run(command, this.output.stream);
  }
}

export function stepFailure(title: string, command: string, result: RunResult): AegisError {
  return new AegisError(`Step "${title}" failed: \`${command}\` exited with code ${result.code} on the server (its output is above).`);
}
