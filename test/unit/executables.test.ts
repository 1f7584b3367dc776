/**
 * Executable lookup and batch-file invocation, for POSIX and for Windows. There is no Windows machine here: the
 * win32 cases run on Linux against a fake platform, environment and file system (the functions take them as
 * parameters), and check the command lines we would hand to spawn there, not a run of cmd.exe.
 */
import { describe, expect, it } from 'vitest';
import { type ExecutableHost, envValue, findExecutable, invocation } from '../../shared/project/executables.js';
import { type RunProgram, resolveUv } from '../../shared/project/install.js';

function host(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: readonly string[]): ExecutableHost {
  // Windows file names are case-insensitive.
  const known = new Set(files.map((file) => (platform === 'win32' ? file.toLowerCase() : file)));
  return { platform, env, isExecutable: (path) => known.has(platform === 'win32' ? path.toLowerCase() : path) };
}

const WINDOWS_ENV = {
  Path: 'C:\\Windows\\system32;"C:\\Program Files\\nodejs";C:\\Users\\dev\\.local\\bin;;C:\\Program Files\\Git\\cmd',
  PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS;.JS',
  ComSpec: 'C:\\Windows\\system32\\cmd.exe',
};

describe('findExecutable on Windows (fake host)', () => {
  const windows = host('win32', WINDOWS_ENV, [
    'C:\\Program Files\\nodejs\\npm',
    'C:\\Program Files\\nodejs\\npm.cmd',
    'C:\\Program Files\\nodejs\\npm.ps1',
    'C:\\Users\\dev\\.local\\bin\\uv.exe',
    'C:\\Program Files\\Git\\cmd\\git.exe',
  ]);

  it('finds uv.exe and git.exe by PATHEXT, in a quoted PATH entry too, whatever the case of Path', () => {
    expect(findExecutable('uv', windows)).toBe('C:\\Users\\dev\\.local\\bin\\uv.exe');
    expect(findExecutable('git', windows)).toBe('C:\\Program Files\\Git\\cmd\\git.exe');
    expect(envValue(WINDOWS_ENV, 'PATH', 'win32')).toBe(WINDOWS_ENV.Path);
    expect(envValue(WINDOWS_ENV, 'PATH', 'linux')).toBeUndefined();
  });

  it('finds npm.cmd, never the extensionless shell script beside it', () => {
    expect(findExecutable('npm', windows)).toBe('C:\\Program Files\\nodejs\\npm.cmd');
    expect(findExecutable('npm.cmd', windows)).toBe('C:\\Program Files\\nodejs\\npm.cmd');
  });

  it('follows PATHEXT order and PATH order, and defaults PATHEXT', () => {
    const both = host('win32', { PATH: 'C:\\a;C:\\b' }, ['C:\\a\\tool.cmd', 'C:\\a\\tool.exe', 'C:\\b\\tool.com']);
    expect(findExecutable('tool', both)).toBe('C:\\a\\tool.exe');
    const ordered = host('win32', { PATH: 'C:\\a;C:\\b', PATHEXT: '.CMD;.EXE' }, ['C:\\a\\tool.exe', 'C:\\a\\tool.cmd']);
    expect(findExecutable('tool', ordered)).toBe('C:\\a\\tool.cmd');
  });

  it('takes a path as given (with PATHEXT), and is undefined when nothing matches', () => {
    expect(findExecutable('C:\\Users\\dev\\.local\\bin\\uv', windows)).toBe('C:\\Users\\dev\\.local\\bin\\uv.exe');
    expect(findExecutable('docker', windows)).toBeUndefined();
    expect(findExecutable('uv', host('win32', {}, ['C:\\Users\\dev\\.local\\bin\\uv.exe']))).toBeUndefined();
  });
});

describe('findExecutable on POSIX (fake host)', () => {
  it('searches PATH with no extension and ignores Windows names', () => {
    const linux = host('linux', { PATH: '/usr/local/bin::/usr/bin' }, ['/usr/bin/uv', '/usr/bin/npm.cmd', '/usr/bin/npm']);
    expect(findExecutable('uv', linux)).toBe('/usr/bin/uv');
    expect(findExecutable('npm', linux)).toBe('/usr/bin/npm');
    expect(findExecutable('git', linux)).toBeUndefined();
    expect(findExecutable('/usr/bin/uv', linux)).toBe('/usr/bin/uv');
    // PATH is case-sensitive off Windows.
    expect(findExecutable('uv', host('linux', { Path: '/usr/bin' }, ['/usr/bin/uv']))).toBeUndefined();
  });
});

describe('invocation', () => {
  it('runs a program directly off Windows, and an .exe directly on Windows', () => {
    expect(invocation('/usr/bin/npm', ['pack', 'a b'], { platform: 'linux', env: {} })).toEqual({ command: '/usr/bin/npm', args: ['pack', 'a b'], windowsVerbatimArguments: false });
    expect(invocation('C:\\uv\\uv.exe', ['sync'], { platform: 'win32', env: WINDOWS_ENV })).toEqual({ command: 'C:\\uv\\uv.exe', args: ['sync'], windowsVerbatimArguments: false });
    // A .cmd off Windows is just a file name.
    expect(invocation('/opt/x/tool.cmd', ['a'], { platform: 'linux', env: {} }).command).toBe('/opt/x/tool.cmd');
  });

  it('runs a .cmd or .bat through cmd.exe /d /s /c, every argument quoted and escaped for cmd', () => {
    const npm = invocation(
      'C:\\Program Files\\nodejs\\npm.cmd',
      ['pack', 'generator-aegis@0.4.0', '--pack-destination', 'C:\\Users\\Jo (work)\\cache\\.fetch-1'],
      { platform: 'win32', env: WINDOWS_ENV },
    );
    expect(npm.command).toBe('C:\\Windows\\system32\\cmd.exe');
    expect(npm.windowsVerbatimArguments).toBe(true);
    expect(npm.args).toEqual([
      '/d',
      '/s',
      '/c',
      '"C:\\Program^ Files\\nodejs\\npm.cmd ^"pack^" ^"generator-aegis@0.4.0^" ^"--pack-destination^" ^"C:\\Users\\Jo^ ^(work^)\\cache\\.fetch-1^""',
    ]);
    const bat = invocation('C:\\pyenv\\shims\\uv.BAT', ['run', 'a&b', '50%', 'say "hi"', 'dir\\'], { platform: 'win32', env: {} });
    expect(bat.command).toBe('cmd.exe');
    expect(bat.args.at(-1)).toBe('"C:\\pyenv\\shims\\uv.BAT ^"run^" ^"a^&b^" ^"50^%^" ^"say^ \\^"hi\\^"^" ^"dir\\\\^""');
  });

  it('escapes twice for a cmd-shim in node_modules/.bin, which hands %* to cmd again', () => {
    const shim = invocation('C:\\p\\node_modules\\.bin\\tool.cmd', ['a b'], { platform: 'win32', env: {} });
    expect(shim.args.at(-1)).toBe('"C:\\p\\node_modules\\.bin\\tool.cmd ^^^"a^^^ b^^^""');
  });
});

describe('resolveUv (fake host and programs)', () => {
  const answers = (outputs: Record<string, string>): RunProgram => (file, args, cwd) => {
    const output = outputs[`${cwd}> ${[file, ...args].join(' ')}`] ?? outputs[[file, ...args].join(' ')];
    return output === undefined ? { ok: false, stdout: '' } : { ok: true, stdout: output };
  };

  it('finds uv.exe on Windows and checks that it runs', () => {
    const windows = host('win32', WINDOWS_ENV, ['C:\\Users\\dev\\.local\\bin\\uv.exe']);
    const uv = 'C:\\Users\\dev\\.local\\bin\\uv.exe';
    expect(resolveUv(windows, answers({ [`${uv} --version`]: 'uv 0.13.9' }), ['C:\\work'])).toBe(uv);
    expect(resolveUv(windows, answers({}), ['C:\\work'])).toBeUndefined();
  });

  it('sees through a pyenv-win shim (shims\\uv.bat) to the real uv.exe, from the current folder first', () => {
    const env = { ...WINDOWS_ENV, Path: `C:\\Users\\dev\\.pyenv\\pyenv-win\\shims;C:\\Users\\dev\\.pyenv\\pyenv-win\\bin;${WINDOWS_ENV.Path}` };
    const windows = host('win32', env, ['C:\\Users\\dev\\.pyenv\\pyenv-win\\shims\\uv.bat', 'C:\\Users\\dev\\.pyenv\\pyenv-win\\bin\\pyenv.bat']);
    const real = 'C:\\Users\\dev\\.pyenv\\pyenv-win\\versions\\3.13.1\\Scripts\\uv.exe';
    const run = answers({
      'C:\\home> C:\\Users\\dev\\.pyenv\\pyenv-win\\bin\\pyenv.bat which uv': `${real}\r\n`,
      [`${real} --version`]: 'uv 0.13.9',
    });
    expect(resolveUv(windows, run, ['C:\\work', 'C:\\home'])).toBe(real);
  });

  it('on POSIX, resolves a pyenv shim the same way', () => {
    const linux = host('linux', { PATH: '/home/dev/.pyenv/shims:/home/dev/.pyenv/bin:/usr/bin' }, ['/home/dev/.pyenv/shims/uv', '/home/dev/.pyenv/bin/pyenv']);
    const run = answers({ '/home/dev/.pyenv/bin/pyenv which uv': '/home/dev/.pyenv/versions/3.11.7/bin/uv\n', '/home/dev/.pyenv/versions/3.11.7/bin/uv --version': 'uv 0.13.9' });
    expect(resolveUv(linux, run, ['/work'])).toBe('/home/dev/.pyenv/versions/3.11.7/bin/uv');
  });
});
