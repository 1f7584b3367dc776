/**
 * The comms service added to a project that already has users: `aegis add-service comms` on an auth project whose
 * database holds an account, the migration, then the booted server with `AUTH_REQUIRE_VERIFIED_EMAIL=true` sending
 * through a real SMTP server (aiosmtpd, from the project's dev dependencies, printing what it receives). The old
 * account keeps signing in; a new one verifies its address and resets its password by following the links in the
 * emails.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, listenOnFreePort, mustRun, serveOnFreePort, start, tempDir, waitForOutput } from '../../test/support/processes.js';

const uv = resolveUv() ?? 'uv';
const PASSWORD = 'correct horse battery staple';
let work = '';

beforeAll(() => {
  work = tempDir('comms');
});
afterAll(() => {
  if (work && !process.env.AEGIS_KEEP_E2E) rmSync(work, { recursive: true, force: true });
});

/** The SMTP server prints each message; long lines are quoted-printable, so undo the soft breaks and `=3D`. */
function unfolded(output: string): string {
  return output.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

describe('aegis add-service comms on an auth project with users', () => {
  it('migrates, keeps the old users signing in, verifies and resets through the emailed links', async () => {
    mustRun(process.execPath, [builtBin, 'init', 'accounts', '--yes', '--skip-install', '--python-version', '3.11', '--services', 'auth'], { cwd: work });
    const project = join(work, 'accounts');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.VIRTUAL_ENV;
    const inProject = { cwd: project, env };
    mustRun(uv, ['sync', '--quiet'], inProject);
    const cli = join(project, '.venv', 'bin', 'accounts');
    mustRun(cli, ['db', 'upgrade'], inProject);
    mustRun(cli, ['auth', 'create-user', '--email', 'old@example.com', '--password', PASSWORD], inProject);

    mustRun(process.execPath, [builtBin, 'add-service', 'comms', '--yes', '--project-path', project], { cwd: work, env });
    expect(readFileSync(join(project, 'app/services/auth/service.py'), 'utf8')).toContain('auth_require_verified_email');
    const upgraded = mustRun(cli, ['db', 'upgrade'], inProject);
    expect(upgraded.stdout + upgraded.stderr).toContain('0001_comms_auth');

    const python = join(project, '.venv', 'bin', 'python');
    const { server: smtp, port: smtpPort } = await listenOnFreePort(
      (port) => start(python, ['-m', 'aiosmtpd', '-n', '-c', 'aiosmtpd.handlers.Debugging', '-l', `127.0.0.1:${port}`], inProject),
      30_000,
    );
    const settings = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), AUTH_REQUIRE_VERIFIED_EMAIL: 'true' };
    let api = '';
    const { server } = await serveOnFreePort(
      (port) => {
        api = `http://127.0.0.1:${port}`;
        return start(python, ['-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...env, ...settings, PORT: String(port), EMAIL_PUBLIC_URL: api } });
      },
      '/health',
      60_000,
    );
    const post = (path: string, body: unknown) =>
      fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const link = async (path: string): Promise<string> => {
      const pattern = new RegExp(`${api.replace(/[.:/]/g, '\\$&')}${path}\\?token=[\\w-]+`);
      await waitForOutput({ output: () => unfolded(smtp.output()), exited: smtp.exited }, pattern, 30_000);
      return pattern.exec(unfolded(smtp.output()))![0];
    };
    try {
      expect((await post('/api/auth/login', { email: 'old@example.com', password: PASSWORD })).status).toBe(200);

      expect((await post('/api/auth/register', { email: 'new@example.com', password: PASSWORD })).status).toBe(201);
      const refused = await post('/api/auth/login', { email: 'new@example.com', password: PASSWORD });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { detail: string }).detail).toBe('Verify your email address before signing in');

      const unknown = await post('/api/auth/verify-email/request', { email: 'nobody@example.com' });
      const known = await post('/api/auth/verify-email/request', { email: 'new@example.com' });
      expect([unknown.status, known.status]).toEqual([202, 202]);
      expect(await unknown.json()).toEqual(await known.json());
      const verify = await link('/api/auth/verify-email/confirm');
      expect((await fetch(verify)).status).toBe(200);
      expect((await post('/api/auth/login', { email: 'new@example.com', password: PASSWORD })).status).toBe(200);

      expect((await post('/api/auth/password-reset/request', { email: 'new@example.com' })).status).toBe(202);
      const reset = new URL(await link('/reset-password'));
      const confirmed = await post('/api/auth/password-reset/confirm', { token: reset.searchParams.get('token'), new_password: 'another good passphrase' });
      expect(confirmed.status).toBe(200);
      expect((await post('/api/auth/login', { email: 'new@example.com', password: 'another good passphrase' })).status).toBe(200);
      expect((await post('/api/auth/login', { email: 'new@example.com', password: PASSWORD })).status).toBe(401);
      expect(unfolded(smtp.output())).not.toContain('nobody@example.com');
    } finally {
      await server.stop();
      await smtp.stop();
    }
  }, 600_000);
});
