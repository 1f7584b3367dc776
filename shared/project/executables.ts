/**
 * Finding and running external programs (uv, npm, pyenv) the same way on POSIX and on Windows. On Windows a name is
 * searched on PATH with each extension of PATHEXT (uv → uv.exe, npm → npm.cmd), and a batch file (.cmd, .bat) is
 * run through cmd.exe: Node ≥ 20.12.2 refuses to spawn one directly (EINVAL, the fix for CVE-2024-27980).
 * Everything takes the platform and environment as parameters, so the Windows paths are unit-tested on Linux.
 */
import { type SpawnOptions, type SpawnSyncOptions, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';

/** What executable lookup reads of the machine. */
export interface ExecutableHost {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  /** Whether `path` is a file this user may run (on Windows: a file; the extension decides how it runs). */
  isExecutable(path: string): boolean;
}

/** This machine. */
export function currentHost(env: NodeJS.ProcessEnv = process.env): ExecutableHost {
  const platform = process.platform;
  return {
    platform,
    env,
    isExecutable(path) {
      try {
        if (!statSync(path).isFile()) return false;
        if (platform !== 'win32') accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** An environment variable, by its name in any case on Windows (`Path`, `PATH`, `PathExt`). */
export function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/**
 * The full path of the program `name` on the host's PATH, or undefined. On Windows each PATHEXT extension is tried
 * in order (a name with one of them is tried as given first), so `npm` finds `npm.cmd` and not the extensionless
 * shell script npm puts beside it; PATH entries may be quoted. A name with a folder in it is not searched for.
 */
export function findExecutable(name: string, host: ExecutableHost): string | undefined {
  const windows = host.platform === 'win32';
  const path = windows ? win32 : posix;
  const separator = windows ? ';' : ':';
  const extensions = windows
    ? // Lower case (`uv.exe`): file names are case-insensitive there, and that is how the files are named.
      (envValue(host.env, 'PATHEXT', host.platform) || DEFAULT_PATHEXT).toLowerCase().split(';').filter(Boolean)
    : [''];
  const candidates = windows && extensions.some((extension) => name.toLowerCase().endsWith(extension))
    ? [name, ...extensions.map((extension) => name + extension)]
    : extensions.map((extension) => name + extension);
  if (name.includes('/') || (windows && name.includes('\\'))) {
    return candidates.find((candidate) => host.isExecutable(candidate));
  }
  const dirs = (envValue(host.env, 'PATH', host.platform) ?? '')
    .split(separator)
    .map((dir) => (windows ? dir.replace(/^"(.*)"$/, '$1') : dir))
    .filter(Boolean);
  for (const dir of dirs) {
    for (const candidate of candidates) {
      const full = path.join(dir, candidate);
      if (host.isExecutable(full)) return full;
    }
  }
  return undefined;
}

/** How to start a program: the command and arguments to give spawn, and whether they are already quoted. */
export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly windowsVerbatimArguments: boolean;
}

// cmd.exe's special characters, escaped with ^ (the quoting is cross-spawn's, MIT, github.com/moxystudio/node-cross-spawn).
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

/** One argument for a program started by cmd.exe: quoted for the program's parser, then escaped for cmd's. */
function cmdArgument(arg: string, doubleEscape: boolean): string {
  // Backslashes before a quote, and at the end (before the closing quote), are doubled; a quote gets a backslash.
  let quoted = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"').replace(/(?=(\\+?)?)\1$/, '$1$1');
  quoted = `"${quoted}"`.replace(CMD_META, '^$1');
  // A cmd-shim (node_modules/.bin/*.cmd) hands %* to cmd a second time.
  return doubleEscape ? quoted.replace(CMD_META, '^$1') : quoted;
}

/**
 * How to run `file` (a path from findExecutable) with `args`. On Windows a .cmd or .bat file runs as
 * `cmd.exe /d /s /c "<escaped command line>"` with the arguments verbatim, each one quoted and escaped so that cmd
 * passes it through unchanged (spaces, parentheses, &, %, quotes); anything else runs directly.
 */
export function invocation(file: string, args: readonly string[], host: Pick<ExecutableHost, 'platform' | 'env'>): Invocation {
  if (host.platform !== 'win32' || !/\.(cmd|bat)$/i.test(file)) return { command: file, args, windowsVerbatimArguments: false };
  const normalized = win32.normalize(file);
  const doubleEscape = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i.test(normalized);
  const line = [normalized.replace(CMD_META, '^$1'), ...args.map((arg) => cmdArgument(arg, doubleEscape))].join(' ');
  return {
    command: envValue(host.env, 'ComSpec', host.platform) || 'cmd.exe',
    args: ['/d', '/s', '/c', `"${line}"`],
    windowsVerbatimArguments: true,
  };
}

/** spawnSync (output as text) of a program found by findExecutable, through cmd.exe when it is a batch file on Windows. */
export function spawnSyncExecutable(file: string, args: readonly string[], options: Omit<SpawnSyncOptions, 'encoding'> = {}): SpawnSyncReturns<string> {
  const run = invocation(file, args, { platform: process.platform, env: options.env ?? process.env });
  return spawnSync(run.command, run.args, {
    ...options,
    encoding: 'utf8',
    ...(run.windowsVerbatimArguments ? { windowsVerbatimArguments: true } : {}),
  });
}

/** spawn of a program found by findExecutable, through cmd.exe when it is a batch file on Windows. */
export function spawnExecutable(file: string, args: readonly string[], options: SpawnOptions = {}) {
  const run = invocation(file, args, { platform: process.platform, env: options.env ?? process.env });
  return spawn(run.command, run.args, { ...options, ...(run.windowsVerbatimArguments ? { windowsVerbatimArguments: true } : {}) });
}
