// `aegis update` on a project with every component and N user-edited files, N = 50…400, dry run and real.
// Two package versions are built from this checkout's dist/: A carries 400 extra template modules (so a project
// has enough files to edit), B changes the end of every text template; the user changes the start of N modules
// (clean merges) and a few core files. Figures only; the target is in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODULES = 400;

function must(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0 && !(args.includes('update') && !args.includes('--dry-run') && result.status === 1)) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return result;
}

function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path);
  }
}

function packageVersionCopy(root, work, name, version, changeTemplates) {
  const pkg = join(work, name);
  mkdirSync(pkg);
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'CHANGELOG.md'), join(pkg, 'CHANGELOG.md'));
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'generator-aegis', version, type: 'module' }));
  const modules = join(pkg, 'dist', 'base', 'templates', 'app', 'bench');
  mkdirSync(modules);
  for (let index = 0; index < MODULES; index += 1) {
    const body = Array.from({ length: 30 }, (_, line) => `VALUE_${line} = ${index * 100 + line}`).join('\n');
    writeFileSync(join(modules, `module_${String(index).padStart(3, '0')}.py`), `"""Bench module ${index}."""\n\n${body}\n`);
  }
  if (changeTemplates) {
    for (const folder of ['base', 'components']) walk(join(pkg, 'dist', folder), (path) => {
      if (!path.includes(`${join('templates', '')}`)) return;
      const text = readFileSync(path);
      if (text.includes(0)) return;
      writeFileSync(path, `${text.toString('utf8')}# changed by the template\n`);
    });
  }
  return join(pkg, 'dist', 'cli', 'aegis.js');
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function updateFigures(root, runs = 3) {
  const work = mkdtempSync(join(tmpdir(), 'aegis-bench-update-'));
  try {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    const next = version.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));
    const binA = packageVersionCopy(root, work, 'a', version, false);
    const binB = packageVersionCopy(root, work, 'b', next, true);
    must(process.execPath, [binA, 'init', 'bench', '--yes', '--skip-install', '--components', 'scheduler,worker,database', '--services', 'auth'], work);
    const pristine = join(work, 'bench');
    must('git', ['init', '-q'], pristine);
    const git = (cwd, ...args) => must('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args], cwd);
    git(pristine, 'add', '-A');
    git(pristine, 'commit', '-qm', 'generated');
    let files = 0;
    walk(pristine, (path) => {
      if (!path.includes(`${join('', '.git', '')}`)) files += 1;
    });
    console.log(`aegis update ${version} → ${next}: every template changed, ${files} files in the project (${MODULES} of them bench modules)`);
    for (const edited of [50, 100, 200, 400]) {
      const project = join(work, `edited-${edited}`);
      cpSync(pristine, project, { recursive: true });
      for (let index = 0; index < edited; index += 1) {
        const path = join(project, 'app', 'bench', `module_${String(index).padStart(3, '0')}.py`);
        writeFileSync(path, readFileSync(path, 'utf8').replace('\n\n', '\n\nOURS = True\n'));
      }
      git(project, 'commit', '-qam', 'our edits');
      const time = (args, fresh) => {
        const samples = [];
        for (let run = 0; run < runs; run += 1) {
          const cwd = fresh ? join(work, `run-${edited}-${run}`) : project;
          if (fresh) cpSync(project, cwd, { recursive: true });
          const started = process.hrtime.bigint();
          must(process.execPath, [binB, 'update', '--from', join(work, 'a'), ...args], cwd);
          samples.push(Number(process.hrtime.bigint() - started) / 1e9);
          if (fresh) rmSync(cwd, { recursive: true, force: true });
        }
        return median(samples);
      };
      const dry = time(['--dry-run', '--stat'], false);
      const real = time(['--skip-install'], true);
      console.log(
        `${`aegis update, ${edited} user-edited files`.padEnd(44)} dry run ${dry.toFixed(3)} s, real ${real.toFixed(3)} s  target < 2 s  ${Math.max(dry, real) < 2 ? 'ok' : 'OVER'}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
