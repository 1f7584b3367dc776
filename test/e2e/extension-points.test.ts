/**
 * The generated project's extension points, used the way its comments invite: a router in routes.py, a command
 * group in commands.py, a lifespan hook in hooks.py, the scheduler's example job replaced in register_jobs, a job
 * added to the system worker's functions and its cron example replaced. The project's own checks (ruff, ruff
 * format, mypy, pytest) must stay green; then a service is added, which must not conflict with those edits nor
 * change the user's registration modules, and the checks run again.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { keepMypyCache, takeKeptMypyCache } from '../support/kept-mypy-cache.js';
import { builtBin, mustRun, run, tempDir } from '../support/processes.js';
import { redisUrl } from '../support/test-servers.js';

const REDIS_URL = redisUrl(1);

function edit(project: string, path: string, change: (text: string) => string): void {
  const file = join(project, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after, `edit of ${path} changed nothing`).not.toBe(before);
  writeFileSync(file, after);
}

function replace(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

function write(project: string, path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

/** Every file holding a conflict marker. */
function conflicted(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === '.venv' || entry === '.git' || entry.endsWith('_cache')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...conflicted(path));
    else if (/^<<<<<<< /m.test(readFileSync(path, 'utf8'))) found.push(path);
  }
  return found;
}

/** The documented extensions, each where the generated code's comments put it. */
function extend(project: string): void {
  write(project, 'app/components/backend/api/reports.py', `"""Reports: a router of the user's own."""

from fastapi import APIRouter, Depends, Query

router = APIRouter()


def page_size(size: int = Query(default=10, ge=1)) -> int:
    return size


@router.get("/reports")
async def list_reports(size: int = Depends(page_size)) -> dict[str, object]:
    return {"reports": [], "size": size}
`);
  edit(project, 'app/components/backend/api/routes.py', (text) =>
    replace(text, 'from fastapi import APIRouter\n', 'from fastapi import APIRouter\n\nfrom app.components.backend.api import reports\n') +
    'router.include_router(reports.router, prefix="/api", tags=["reports"])\n');
  write(project, 'tests/test_reports.py', `"""The user's own router, through the application."""

import httpx


async def test_reports(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/reports", params={"size": 3})
    assert response.status_code == 200
    assert response.json() == {"reports": [], "size": 3}
`);

  write(project, 'app/cli/reports.py', `"""\`\`reports\`\` command group: the user's own."""

import typer

app = typer.Typer(help="Reports.", no_args_is_help=True)


@app.command("count")
def count() -> None:
    """Print how many reports there are."""
    typer.echo("0 reports")


@app.command("latest")
def latest() -> None:
    """Print the latest report."""
    typer.echo("none yet")
`);
  edit(project, 'app/cli/commands.py', (text) =>
    replace(replace(text, 'import typer\n', 'import typer\n\nfrom app.cli import reports\n'),
      '    """Add your command groups (or commands) to ``cli``."""\n',
      '    """Add your command groups (or commands) to ``cli``."""\n    cli.add_typer(reports.app, name="reports")\n'));

  edit(project, 'app/components/backend/hooks.py', (text) =>
    replace(text, '    yield\n', '    app.state.reports_ready = True\n    yield\n    app.state.reports_ready = False\n'));

  edit(project, 'app/components/scheduler.py', (text) => {
    const start = text.indexOf('    scheduler.add_job(\n        log_system_usage,');
    const end = text.indexOf('    )\n', start) + '    )\n'.length;
    expect(start).toBeGreaterThan(0);
    const replaced = `${text.slice(0, start)}    scheduler.add_job(
        generate_daily_report,
        trigger=CronTrigger(hour=9, minute=0),
        id="daily_report",
        name="Generate Daily Report",
        replace_existing=True,
    )


async def generate_daily_report() -> None:
    """Generate and send the daily report."""
${text.slice(end)}`;
    return replace(replaced, 'from apscheduler.schedulers.base import BaseScheduler\n',
      'from apscheduler.schedulers.base import BaseScheduler\nfrom apscheduler.triggers.cron import CronTrigger\n');
  });

  edit(project, 'app/components/worker/queues/system.py', (text) => {
    let next = replace(text, 'class WorkerSettings(QueueSettings):', `async def generate_report(
    ctx: JobContext, report_data: dict[str, Any]
) -> dict[str, Any]:
    """Process report generation in the background."""
    return {"status": "complete", "items": len(report_data)}


async def generate_daily_report(ctx: JobContext) -> None:
    """Generate and send the daily report."""


class WorkerSettings(QueueSettings):`);
    next = replace(next, 'functions = (echo, probe_url, system_report)', 'functions = (echo, probe_url, system_report, generate_report)');
    return replace(next, 'cron_jobs = (cron(system_report, minute={0, 30}),)', 'cron_jobs = (cron(generate_daily_report, hour=9, minute=0),)');
  });
}

describe('extension points of a generated project', () => {
  it('keep the project green when used as documented, and a later add leaves them alone', () => {
    const work = tempDir('extend');
    const uv = resolveUv() ?? 'uv';
    // mypy's cache kept on this machine for the next run (test/support/kept-mypy-cache.ts).
    const mypyCache = join(work, 'mypy-cache');
    takeKeptMypyCache('extension-points', mypyCache);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(uv)}:${process.env.PATH}`, NO_COLOR: '1', REDIS_URL, MYPY_CACHE_DIR: mypyCache };
    delete env.VIRTUAL_ENV;
    const aegis = (cwd: string, ...args: string[]) => run(process.execPath, [builtBin, ...args], { cwd, env });
    const init = aegis(work, 'init', 'shop', '--components', 'scheduler,worker', '--services', 'auth', '--yes');
    expect(init.status, init.stderr + init.stdout).toBe(0);
    const project = join(work, 'shop');
    const check = (step: string) => {
      for (const args of [['ruff', 'check', '.'], ['ruff', 'format', '--check', '.'], ['mypy', '.']]) {
        const ran = run(uv, ['run', '--no-sync', ...args], { cwd: project, env });
        expect(ran.status, `${step}: ${args.join(' ')}\n${ran.stdout}${ran.stderr}`).toBe(0);
      }
      const tests = run(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: project, env });
      expect(tests.status, `${step}: pytest\n${tests.stdout.slice(-6000)}${tests.stderr.slice(-2000)}`).toBe(0);
      expect(tests.stdout).not.toMatch(/\d+ failed/);
      console.log(`${step}: ${tests.stdout.trim().split('\n').pop()}`);
    };

    extend(project);
    check('extended');
    const group = mustRun(uv, ['run', '--no-sync', 'shop', 'reports', 'count'], { cwd: project, env });
    expect(group.stdout).toBe('0 reports\n');

    const mine = ['app/components/backend/api/routes.py', 'app/cli/commands.py', 'app/components/backend/hooks.py'];
    const before = new Map(mine.map((path) => [path, readFileSync(join(project, path), 'utf8')]));
    const added = aegis(project, 'add-service', 'ai');
    expect(added.status, added.stdout + added.stderr).toBe(0);
    expect(added.stdout + added.stderr).not.toMatch(/conflict/i);
    expect(conflicted(project)).toEqual([]);
    for (const [path, text] of before) expect(readFileSync(join(project, path), 'utf8'), path).toBe(text);
    check('after add-service ai');
    keepMypyCache('extension-points', mypyCache);
    expect(mustRun(uv, ['run', '--no-sync', 'shop', 'reports', 'latest'], { cwd: project, env }).stdout).toBe('none yet\n');
  }, 1_200_000);
});
