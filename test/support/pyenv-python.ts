/**
 * This machine's pyenv builds of Python, and copies of one laid out as a python:X.Y-slim image has it (the interpreter,
 * its shared library, its headers and its standard library, without the machine's installed packages), for the
 * stand-ins of the container tests. A copy lets another user run the interpreter: pyenv's own lives under the home
 * folder (root's, 0700 on a fresh machine), and its RUNPATH names that folder, so the copy's `lib/` must be found first
 * (ldconfig in an image, LD_LIBRARY_PATH on this machine).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mustRun } from './processes.js';

/** This machine's pyenv build of the newest `minor` (3.12 → …/versions/3.12.1), if there is one. */
export function findPyenvPython(minor: string): string | undefined {
  const root = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  const versions = existsSync(join(root, 'versions')) ? readdirSync(join(root, 'versions')) : [];
  const found = versions
    .filter((version) => version.startsWith(`${minor}.`) && /^\d+\.\d+\.\d+$/.test(version))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .at(-1);
  return found && join(root, 'versions', found);
}

/** This machine's pyenv build of the newest `minor`; fails naming the fix when there is none. */
export function pyenvPython(minor: string): string {
  const found = findPyenvPython(minor);
  if (!found) throw new Error(`no Python ${minor} under ${process.env.PYENV_ROOT ?? join(homedir(), '.pyenv')}/versions for the python:${minor}-slim stand-in (pyenv install ${minor})`);
  return found;
}

/**
 * Copies pyenv's Python `minor` into `prefix` (`bin/pythonX.Y`, `lib/libpython3*.so*`, `include/`, `lib/pythonX.Y` less
 * its tests, IDLE, Tk and site-packages); returns the interpreter's path.
 */
export function copyPyenvPython(minor: string, prefix: string): string {
  const source = pyenvPython(minor);
  for (const folder of ['bin', 'lib', 'include']) mkdirSync(join(prefix, folder), { recursive: true });
  mustRun('cp', ['-a', join(source, 'bin', `python${minor}`), join(prefix, 'bin')]);
  mustRun('sh', ['-c', `cp -a "${source}"/lib/libpython3*.so* "${prefix}/lib/"`]);
  mustRun('cp', ['-a', join(source, 'include', `python${minor}`), join(prefix, 'include')]);
  const lib = `python${minor}`;
  mustRun('sh', [
    '-c',
    `tar -C "${source}/lib" -c --exclude='${lib}/site-packages/*' --exclude=${lib}/test --exclude=${lib}/idlelib --exclude=${lib}/tkinter --exclude=${lib}/turtledemo --exclude=__pycache__ ${lib} | tar -C "${prefix}/lib" -x`,
  ]);
  return join(prefix, 'bin', `python${minor}`);
}
