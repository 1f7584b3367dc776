import { existsSync, readFileSync } from 'node:fs';
import { NodeSSH } from 'node-ssh';
import { AegisError } from '../errors.js';
import { type HostKeyPolicy, checkHostKey, fingerprint } from './host-key.js';
import type { DeployTarget } from './target.js';

/** How long a connection may take, handshake included, before it is given up. */
export const CONNECT_TIMEOUT_MS = Number(process.env.AEGIS_SSH_TIMEOUT_MS ?? 10_000);

/** A string as one word for the remote POSIX shell. */
export function shellQuote(value: string): string {
  return /^[\w./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function where(target: Pick<DeployTarget, 'user' | 'host' | 'port'>): string {
  return `${target.user}@${target.host}:${target.port}`;
}

function connectionError(error: unknown, target: DeployTarget): AegisError {
  const { code, level, message } = error as { code?: string; level?: string; message?: string };
  const address = `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED') return new AegisError(`Cannot connect to ${address}: connection refused. Is sshd running there, and is ${target.port} its port (--port)?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AegisError(`Cannot resolve the host name ${target.host}: check --host.`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new AegisError(`Cannot reach ${address} (${code}): check the address and your network.`);
  if (level === 'client-timeout' || code === 'ETIMEDOUT' || /timed out/i.test(message ?? '')) {
    return new AegisError(`No SSH answer from ${address} within ${CONNECT_TIMEOUT_MS / 1000} s: check the host, the port and any firewall.`);
  }
  if (level === 'client-authentication') {
    return new AegisError(
      `${where(target)} refused the key ${target.key}: add ${target.key}.pub to ~${target.user}/.ssh/authorized_keys on the server, or pass the right --key / --user.`,
    );
  }
  if (/passphrase/i.test(message ?? '')) {
    return new AegisError(`The key ${target.key} is protected by a passphrase: load it into ssh-agent (ssh-add ${target.key}) and retry.`);
  }
  return new AegisError(`SSH connection to ${address} failed: ${message ?? String(error)}`);
}

/** One SSH connection to the deploy target, with key authentication only and a verified host key. */
export class DeploySession {
  private constructor(
    readonly ssh: NodeSSH,
    readonly target: DeployTarget,
    /** The host key fingerprint the server presented (and that passed the policy). */
    readonly hostKey: string,
  ) {}

  static async open(target: DeployTarget, policy: HostKeyPolicy): Promise<DeploySession> {
    if (!existsSync(target.key)) {
      throw new AegisError(`The SSH key ${target.key} does not exist: create one (ssh-keygen -t ed25519) or pass --key.`);
    }
    const ssh = new NodeSSH();
    let accepted: string | undefined;
    let refusal: unknown;
    try {
      await ssh.connect({
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: readFileSync(target.key, 'utf8'),
        ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
        tryKeyboard: false,
        readyTimeout: CONNECT_TIMEOUT_MS,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          checkHostKey(fingerprint(key), where(target), policy).then(
            (value) => {
              accepted = value;
              verify(true);
            },
            (error: unknown) => {
              refusal = error;
              verify(false);
            },
          );
        },
      });
    } catch (error) {
      ssh.dispose();
      if (refusal) throw refusal;
      throw connectionError(error, target);
    }
    return new DeploySession(ssh, target, accepted!);
  }

  /** Runs a command; output goes to `onOutput` as it arrives (and is returned). */
  async run(command: string, onOutput?: (chunk: string) => void): Promise<RunResult> {
    let result: Awaited<ReturnType<NodeSSH['execCommand']>>;
    try {
      result = await this.ssh.execCommand(command, {
        ...(onOutput ? { onStdout: (chunk: Buffer) => onOutput(chunk.toString('utf8')), onStderr: (chunk: Buffer) => onOutput(chunk.toString('utf8')) } : {}),
      });
    } catch (error) {
      throw new AegisError(`the SSH connection to ${where(this.target)} is gone (${(error as Error).message}).`);
    }
    // Neither an exit code nor a signal: the connection went away under the command, whose outcome is unknown.
    if (result.code === null && !result.signal) throw new AegisError(`the SSH connection to ${where(this.target)} closed before the command finished.`);
    return { code: result.code ?? 128, stdout: result.stdout, stderr: result.stderr };
  }

  close(): void {
    this.ssh.dispose();
  }
}

/**
 * Runs `command` on the server over the session's connection with this process's stdin, stdout and stderr (a
 * pseudo-terminal when this side has one); resolves with the remote exit code.
 */
export function attach(session: DeploySession, command: string): Promise<number> {
  const tty = process.stdin.isTTY === true;
  return new Promise<number>((resolve, reject) => {
    session.ssh.connection!.exec(command, tty ? { pty: { term: process.env.TERM ?? 'xterm', rows: process.stdout.rows, cols: process.stdout.columns } } : {}, (error, channel) => {
      if (error) return reject(error);
      if (tty) process.stdin.setRawMode(true);
      process.stdin.pipe(channel);
      channel.pipe(process.stdout, { end: false });
      channel.stderr.pipe(process.stderr, { end: false });
      let code: number | null = null;
      let signal: string | undefined;
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal;
      });
      channel.on('close', () => {
        if (tty) process.stdin.setRawMode(false);
        process.stdin.unpipe(channel);
        process.stdin.pause();
        // No exit status at all: the connection went away under the command.
        if (code === null && signal === undefined) reject(new AegisError('The SSH connection closed before the command finished: its outcome on the server is unknown (see "aegis deploy-logs").'));
        else resolve(code ?? 128);
      });
    });
  });
}
