/**
 * A real OpenSSH server on a loopback port, for the deploy tests: a throwaway user with a throwaway key, and a
 * folder of stand-in commands first on the session's PATH (sshd's SetEnv). The "server" is this very machine, so
 * the stand-ins take the place of docker, apt-get, ufw, systemctl and the like: they record each call and change
 * nothing real.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, mustRun, run, start, tempDir, waitForOutput } from './processes.js';

export const SSH_USER = 'aegis-deploy-test';
const SSHD = '/usr/sbin/sshd';

export function hasSshd(): boolean {
  return existsSync(SSHD) && process.getuid?.() === 0;
}

export interface TestSshServer {
  readonly port: number;
  /**
   * A folder the session may write (its `bin/` is on PATH after the stand-ins, for commands that appear only once
   * "installed"); the stand-ins keep their state here. `$STANDIN_STATE` in the session.
   */
  readonly state: string;
  readonly user: string;
  readonly home: string;
  /** The client's private key file. */
  readonly key: string;
  /** `SHA256:…` of the host key sshd presents now. */
  hostKeyFingerprint(): string;
  /** Each recorded stand-in call: `<cwd>$ <command> <args…>`. */
  calls(): string[];
  clearCalls(): void;
  /** Restarts sshd with a new host key, as a reinstalled server would have. */
  rotateHostKey(): Promise<void>;
  stop(): Promise<void>;
}

/** A stand-in: records `cwd$ name args` and then runs `body` (POSIX sh). */
function standIn(dir: string, log: string, name: string, body: string): void {
  const file = join(dir, name.replace(/^impl\//, ''));
  const shown = name.replace(/^impl\//, '');
  writeFileSync(file, `#!/bin/sh\nprintf '%s$ %s\\n' "$PWD" "${shown} $*" >> "${log}"\n${body}\n`);
  chmodSync(file, 0o755);
}

export interface SshServerOptions {
  /** Stand-in commands by name, first on PATH; `impl/<name>` ones go to a folder off PATH (`$STANDIN_IMPL`). */
  readonly standIns: Readonly<Record<string, string>>;
  /** More variables for every session (sshd's SetEnv). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startSshServer(options: SshServerOptions): Promise<TestSshServer> {
  const { standIns } = options;
  // Test files that start a server run side by side: the user may be being created or changed by another one
  // (useradd and usermod refuse while /etc/passwd is locked), so each step is retried until it holds.
  const settle = (done: () => boolean, step: () => void) => {
    for (let attempt = 1; !done(); attempt += 1) {
      if (attempt > 1) spawnSync('sleep', ['0.2']);
      if (attempt > 25) throw new Error(`${SSH_USER}: could not be set up for the test sshd`);
      step();
    }
  };
  settle(() => run('id', [SSH_USER]).status === 0, () => run('useradd', ['--create-home', '--shell', '/bin/bash', SSH_USER]));
  // A locked account ("!") is refused by sshd even with a valid key; "*" allows keys and no password.
  settle(() => run('getent', ['shadow', SSH_USER]).stdout.split(':')[1] === '*', () => run('usermod', ['-p', '*', SSH_USER]));
  const home = mustRun('sh', ['-c', `getent passwd ${SSH_USER} | cut -d: -f6`]).stdout.trim();
  const dir = tempDir('sshd');
  chmodSync(dir, 0o755);
  const bin = join(dir, 'bin');
  const impl = join(dir, 'impl');
  const state = join(dir, 'state');
  for (const folder of [bin, impl, state, join(state, 'bin')]) {
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
  }
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  chmodSync(log, 0o666);
  for (const [name, body] of Object.entries(standIns)) standIn(name.startsWith('impl/') ? impl : bin, log, name, body);
  mkdirSync('/run/sshd', { recursive: true });
  mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'aegis-test-client', '-f', join(dir, 'client')]);
  chownSync(join(dir, 'client'), process.getuid!(), process.getgid!());
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o644);
  const hostKey = join(dir, 'host_ed25519');
  const config = join(dir, 'sshd_config');
  const writeConfig = (port: number) => writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      `AllowUsers ${SSH_USER}`,
      `SetEnv ${[
        `PATH=${bin}:${join(state, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
        `STANDIN_STATE=${state}`,
        `STANDIN_IMPL=${impl}`,
        ...Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`),
      ].join(' ')}`,
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  let daemon: ReturnType<typeof start> | undefined;
  let port = 0;
  /**
   * sshd cannot bind port 0 and report the port, so a free one is picked first and another process may take it in
   * between: sshd then exits with "Address already in use" and is started again, on a new port when `newPort` (the
   * first start), else on the same one after a moment (a restart: the project recorded that port). Ready means sshd
   * itself said it listens, not that something answers on the port.
   */
  const launch = async (newPort: boolean) => {
    rmSync(hostKey, { force: true });
    rmSync(`${hostKey}.pub`, { force: true });
    mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    for (let attempt = 1; ; attempt += 1) {
      if (newPort) writeConfig((port = await freePort()));
      daemon = start(SSHD, ['-D', '-e', '-f', config], { cwd: dir, env: process.env });
      try {
        await waitForOutput(daemon, new RegExp(`Server listening on 127\\.0\\.0\\.1 port ${port}\\.`), 10_000);
        return;
      } catch (error) {
        await daemon.stop();
        if (attempt >= 5 || !/Address already in use/.test(daemon.output())) throw error;
        if (!newPort) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  await launch(true);
  return {
    get port() {
      return port;
    },
    state,
    user: SSH_USER,
    home,
    key: join(dir, 'client'),
    hostKeyFingerprint: () => mustRun('ssh-keygen', ['-lf', `${hostKey}.pub`]).stdout.split(' ')[1]!,
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    clearCalls: () => writeFileSync(log, ''),
    async rotateHostKey() {
      await daemon?.stop();
      await launch(false);
    },
    async stop() {
      await daemon?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
