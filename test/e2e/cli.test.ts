import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../shared/package-info.js';
import { builtBin, readTree, repoRoot, run, tempDir } from '../support/processes.js';

// The built bin (npm test builds first), run as a user runs it: a child process with no terminal.
function aegis(args: readonly string[], cwd: string = tempDir('cli')) {
  return { cwd, ...run(process.execPath, [builtBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }) };
}

describe('aegis bin', () => {
  it('prints help with every command', () => {
    const { status, stdout } = aegis(['--help']);
    expect(status).toBe(0);
    for (const command of ['init', 'add', 'remove', 'components', 'services', 'version']) expect(stdout).toContain(command);
  });

  it('prints help for init with every option described', () => {
    const { status, stdout } = aegis(['init', '--help']);
    expect(status).toBe(0);
    for (const flag of ['--description', '--python-version', '--components', '--services', '--output-dir', '--yes', '--force', '--skip-install']) {
      expect(stdout).toContain(flag);
    }
  });

  it("leaves npm's installer out of its bundle and loads inquirer only at a prompt", async () => {
    const chunks = join(dirname(builtBin), 'chunks');
    const texts = readdirSync(chunks).map((name) => ({ name, text: readFileSync(join(chunks, name), 'utf8') }));
    // npm's fetcher and installer stay in node_modules, imported only when a package is fetched (never statically).
    const withoutLazyImports = (text: string): string => text.replace(/import\("(pacote|@npmcli\/arborist)"\)/g, '');
    expect(texts.filter(({ text }) => /sigstore|@npmcli\/arborist|RegistryFetcher/.test(withoutLazyImports(text))).map(({ name }) => name)).toEqual([]);
    // inquirer's prompt module is in a chunk of its own, imported by no chunk statically.
    const inquirer = texts.filter(({ text }) => text.includes('createPromptModule')).map(({ name }) => name);
    expect(inquirer).toHaveLength(1);
    const staticImports = texts.filter(({ text }) => new RegExp(`from\\s*"\\./${inquirer[0]!.replace('.', '\\.')}"`).test(text));
    expect(staticImports).toEqual([]);
    // The stand-in for fly-import: the environment can construct its repository, installing throws a clear error.
    const stubFile = join(tempDir('fly-import-stub'), 'fly-import.mjs');
    const { flyImportStub } = (await import(pathToFileURL(join(repoRoot, 'scripts', 'bundle-bin.mjs')).href)) as { flyImportStub: string };
    writeFileSync(stubFile, flyImportStub);
    const stub = (await import(pathToFileURL(stubFile).href)) as {
      FlyRepository: new (config: { repositoryPath: string }) => { nodeModulesPath: string; install: (spec: string) => Promise<unknown> };
      flyImport: (spec: string) => Promise<unknown>;
    };
    const repository = new stub.FlyRepository({ repositoryPath: '/somewhere/.yo-repository' });
    expect(repository.nodeModulesPath).toBe(join('/somewhere/.yo-repository', 'node_modules'));
    await expect(repository.install('generator-x')).rejects.toThrow(/installing generator-x needs fly-import.*aegis bin leaves out/);
    await expect(stub.flyImport('yeoman-generator')).rejects.toThrow(/aegis bin leaves out/);
  });

  it('loads the SSH client only for the deploy commands', () => {
    // The chunks every command loads: the entry, the command program it imports, and what they import statically,
    // transitively (other dynamic imports are the lazy ones). node-ssh (with ssh2's protocol tables) cost every command
    // a third of its CPU when it was among them.
    const chunkFile = (name: string): string => (name === 'aegis.js' ? builtBin : join(dirname(builtBin), 'chunks', name));
    const program = /import\("\.\/chunks\/(program-[\w-]+\.js)"\)/.exec(readFileSync(builtBin, 'utf8'))?.[1];
    expect(program).toBeDefined();
    const loaded = new Set<string>();
    const pending = ['aegis.js', program!];
    while (pending.length) {
      const name = pending.pop()!;
      if (loaded.has(name)) continue;
      loaded.add(name);
      const text = readFileSync(chunkFile(name), 'utf8');
      for (const [, imported] of text.matchAll(/(?:from|import)\s*"\.\/(?:chunks\/)?([\w.-]+\.js)"/g)) pending.push(imported!);
    }
    expect(loaded.size).toBeGreaterThan(1);
    const withSsh = [...loaded].filter((name) => /from\s*"(node-ssh|ssh2)"/.test(readFileSync(chunkFile(name), 'utf8')));
    expect(withSsh).toEqual([]);
    const deployChunks = readdirSync(join(dirname(builtBin), 'chunks')).filter((name) => /from\s*"node-ssh"/.test(readFileSync(chunkFile(name), 'utf8')));
    expect(deployChunks).toHaveLength(1);
  });

  it('prints its version', () => {
    expect(aegis(['version']).stdout.trim()).toBe(`generator-aegis ${packageVersion}`);
    expect(aegis(['--version']).stdout.trim()).toBe(packageVersion);
  });

  it('doctor reports this machine, and exits 1 naming the fix when uv is missing', () => {
    const here = aegis(['doctor']);
    // warn on a Node past its end of life (20 here, since April 2026), ok on a current one.
    expect(here.stdout).toMatch(/^(ok|warn) +node +v\d+/m);
    const withoutUv = (process.env.PATH ?? '').split(':').filter((dir) => !existsSync(join(dir, 'uv'))).join(':');
    const noUv = run(process.execPath, [builtBin, 'doctor'], { env: { ...process.env, NO_COLOR: '1', PATH: withoutUv } });
    expect(noUv.status).toBe(1);
    expect(noUv.stdout).toMatch(/^FAIL uv +not found/m);
    expect(noUv.stdout).toContain('fix: pip install uv');
    expect(noUv.stderr).toContain('uv missing or unsupported');
  });

  it('lists components and services as JSON for scripts', () => {
    const components = JSON.parse(aegis(['components', '--json']).stdout) as Array<{ name: string; kind: string; requires: Array<{ name: string }>; options: Array<{ name: string; values: string[] }> }>;
    expect(components.map((feature) => `${feature.kind}:${feature.name}`)).toEqual([
      'core:backend',
      'core:frontend',
      'optional:scheduler',
      'optional:redis',
      'optional:worker',
      'optional:database',
      'optional:ingress',
      'optional:storage',
      'optional:observability',
      'optional:kubernetes',
    ]);
    expect(components.find((feature) => feature.name === 'worker')?.requires).toEqual([{ name: 'redis', options: {}, when: {} }]);
    expect(components.find((feature) => feature.name === 'database')?.options).toMatchObject([{ name: 'engine', values: ['sqlite', 'postgres'] }]);
    const services = JSON.parse(aegis(['services', '--json']).stdout) as Array<{ name: string; envVars: string[] }>;
    expect(services.map((feature) => feature.name)).toEqual(['auth', 'ai', 'payment', 'comms']);
    const ai = (services as unknown as Array<{ name: string; options: Array<{ name: string; multiple: boolean; default: string }> }>).find((feature) => feature.name === 'ai');
    expect(ai?.options).toMatchObject([{ name: 'providers', multiple: true, default: 'openai' }]);
    expect(services[0]?.envVars).toContain('SECRET_KEY');
  });

  it('lists components and services', () => {
    const components = aegis(['components']);
    expect(components.status).toBe(0);
    expect(components.stdout).toMatch(/backend\s+FastAPI/);
    expect(components.stdout).toMatch(/frontend\s+Flet/);
    expect(components.stdout).toContain('requires: backend');
    expect(components.stdout).toMatch(/scheduler\s+APScheduler/);
    expect(components.stdout).toContain('requires: database[postgres] with persistence=postgres; persistence: memory|sqlite|postgres (default memory)');
    expect(aegis(['services']).stdout).toMatch(/auth\s+User accounts[^\n]*\n\s+requires: database/);
  });

  it('suggests the closest command for a typo', () => {
    const { status, stderr } = aegis(['inti']);
    expect(status).not.toBe(0);
    expect(stderr).toContain('Did you mean init?');
  });

  it('creates the project headless and prints the next steps and the replay command', () => {
    const { status, stderr, stdout, cwd } = aegis(['init', 'demo', '--yes', '--skip-install', '--python-version', '3.12']);
    expect(status, stderr).toBe(0);
    const output = stdout + stderr;
    expect(output).toContain('Next steps:');
    expect(output).toContain('aegis init demo --python-version 3.12 --yes');
    const state = JSON.parse(readFileSync(join(cwd, 'demo', '.yo-rc.json'), 'utf8'));
    expect(state['generator-aegis'].answers.pythonVersion).toBe('3.12');
  });

  it('gives the same tree as the Yeoman generator would for the same answers, whatever the folder', () => {
    const first = aegis(['init', 'same', '--yes', '--skip-install']);
    const second = aegis(['init', 'same', '--yes', '--skip-install', '--output-dir', 'deeper/down']);
    // Each is its own git repository (init's first commit), with its own index and timestamps: the files are compared.
    const files = (dir: string) => readTree(dir, (path) => path === '.git');
    expect(files(join(second.cwd, 'deeper', 'down', 'same'))).toEqual(files(join(first.cwd, 'same')));
    expect(existsSync(join(first.cwd, 'same', '.git'))).toBe(true);
  });

  it.each([
    [['init', '--yes'], 'The project name is empty'],
    [['init', 'my app', '--yes'], 'contains spaces'],
    [['init', '9lives', '--yes'], 'starts with a digit'],
    [['init', 'lambda', '--yes'], 'Python keyword'],
    [['init', 'json', '--yes'], 'standard-library module "json"'],
    [['init', 'demo', '--yes', '--components', 'schedular'], 'Unknown component "schedular"'],
    [['init', 'demo', '--yes', '--services', 'payments'], 'Unknown service "payments"'],
    [['init', 'demo', '--yes', '--python-version', '3.10'], 'Unsupported Python version "3.10"'],
    [['init', 'demo'], 'No terminal to ask questions on: pass --yes'],
  ])('refuses %j with one line naming the problem, a non-zero exit and nothing written', (args, message) => {
    const { status, stderr, stdout, cwd } = aegis(args);
    expect(status).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('says how to get uv when it is missing, after writing the project', () => {
    const cwd = tempDir('no-uv');
    // Only node on the PATH: no uv.
    const result = run(process.execPath, [builtBin, 'init', 'demo', '--yes'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', PATH: dirname(process.execPath) },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('uv is not installed');
    expect(result.stderr).toContain('pip install uv');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'demo', 'pyproject.toml'))).toBe(true);
  });

  it('refuses a non-empty target folder and leaves it as it was', () => {
    const first = aegis(['init', 'demo', '--yes', '--skip-install']);
    const before = readTree(join(first.cwd, 'demo'));
    const again = aegis(['init', 'demo', '--yes', '--skip-install'], first.cwd);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists and is not empty');
    expect(readTree(join(first.cwd, 'demo'))).toEqual(before);
    expect(existsSync(join(first.cwd, 'demo', '.yo-rc.json'))).toBe(true);
  });
});
