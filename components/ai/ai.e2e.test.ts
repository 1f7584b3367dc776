/**
 * The AI service as a user meets it: generated with `--services ai` (conversations in memory, open routes) and
 * with `--services auth,ai` (in the database, per user), installed, its own tests run, the server booted and
 * chatted with over HTTP (plain JSON and server-sent events), and `ai ask` run from the project CLI. All on the
 * offline model: no key, no network.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, mustRun, run, serveOnFreePort, start, tempDir } from '../../test/support/processes.js';

const uv = resolveUv() ?? 'uv';
let work = '';

beforeAll(() => {
  work = tempDir('ai');
});
afterAll(() => {
  if (work && !process.env.AEGIS_KEEP_E2E) rmSync(work, { recursive: true, force: true });
});

interface SseEvent {
  type: string;
  text?: string;
  conversation_id?: string;
  detail?: string;
}

function parseEvents(body: string): SseEvent[] {
  return body
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n'))
    .filter(Boolean)
    .map((data) => JSON.parse(data) as SseEvent);
}

async function chatOverHttp(api: string, headers: Record<string, string>): Promise<void> {
  const post = (body: unknown) => fetch(`${api}/api/ai/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const plain = await post({ message: 'What is uv?' });
  expect(plain.status, await plain.clone().text()).toBe(200);
  const reply = (await plain.json()) as { conversation_id: string; reply: string; provider: string; model: string };
  expect(reply.provider).toBe('offline');
  expect(reply.conversation_id).toMatch(/^[0-9a-f]{32}$/);
  expect(reply.reply).toContain('What is uv?');

  const streamed = await post({ message: 'And pip?', conversation_id: reply.conversation_id, stream: true });
  expect(streamed.status).toBe(200);
  expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = parseEvents(await streamed.text());
  const deltas = events.filter((event) => event.type === 'delta');
  expect(deltas.length).toBeGreaterThan(2);
  expect(events.at(-1)).toEqual({ type: 'done', conversation_id: reply.conversation_id });

  const conversation = await fetch(`${api}/api/ai/conversations/${reply.conversation_id}`, { headers });
  const stored = (await conversation.json()) as { messages: { role: string; content: string }[] };
  expect(stored.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  expect(stored.messages[3]!.content).toBe(deltas.map((event) => event.text).join(''));
  const listed = (await (await fetch(`${api}/api/ai/conversations`, { headers })).json()) as { id: string }[];
  expect(listed.map((item) => item.id)).toContain(reply.conversation_id);
  expect((await fetch(`${api}/api/ai/conversations/${reply.conversation_id}`, { method: 'DELETE', headers })).status).toBe(204);
  expect((await fetch(`${api}/api/ai/conversations/${reply.conversation_id}`, { headers })).status).toBe(404);
}

describe.each([
  { name: 'chat_open', services: 'ai', auth: false },
  { name: 'chat_users', services: 'auth,ai[openai,anthropic]', auth: true },
])('--services $services', ({ name, services, auth }) => {
  it('installs, passes its own tests, chats over HTTP (JSON and SSE) and from the CLI', async () => {
    mustRun(process.execPath, [builtBin, 'init', name, '--yes', '--skip-install', '--python-version', '3.11', '--services', services], { cwd: work });
    const project = join(work, name);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.VIRTUAL_ENV;
    const inProject = { cwd: project, env };
    mustRun(uv, ['sync', '--quiet'], inProject);
    const tests = mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-k', 'ai'], inProject).stdout;
    expect(tests).toMatch(/\d+ passed/);

    const cli = join(project, '.venv', 'bin', name);
    const headers: Record<string, string> = {};
    if (auth) mustRun(cli, ['db', 'upgrade'], inProject);
    // Before the server starts: a slow CLI between two requests outlasts uvicorn's 5 s keep-alive, and fetch would
    // reuse the connection the server has just closed ("other side closed").
    const created = auth ? mustRun(cli, ['auth', 'create-test-users', '--count', '1'], inProject).stdout : '';
    const { server, port } = await serveOnFreePort(
      (port) => start(join(project, '.venv', 'bin', 'python'), ['-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...env, PORT: String(port) } }),
      '/health',
      60_000,
    );
    const api = `http://127.0.0.1:${port}`;
    try {
      if (auth) {
        const anonymous = await fetch(`${api}/api/ai/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
        expect(anonymous.status).toBe(401);
        const [email, password] = created.split('\n').map((line) => line.trim().split(/\s+/)).find((parts) => parts.length === 2 && parts[0]!.includes('@'))!;
        const login = await fetch(`${api}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
        headers.authorization = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
      }
      await chatOverHttp(api, headers);
      const detailed = (await (await fetch(`${api}/health/detailed`)).json()) as { components: Record<string, { status: string }> };
      expect(detailed.components.ai?.status).toBe('info');
    } finally {
      await server.stop();
    }

    const asked = mustRun(cli, ['ai', 'ask', 'What is FastAPI?'], inProject);
    expect(asked.stdout).toContain('What is FastAPI?');
    const providers = JSON.parse(mustRun(cli, ['ai', 'providers', '--json'], inProject).stdout) as { name: string }[];
    expect(providers.map((row) => row.name)).toEqual(auth ? ['offline', 'anthropic', 'openai'] : ['offline', 'openai']);
    const noKey = run(cli, ['ai', 'ask', 'hello'], { ...inProject, env: { ...env, AI_PROVIDER: 'openai' } });
    expect(noKey.status).toBe(1);
    expect(noKey.stdout + noKey.stderr).toContain('OPENAI_API_KEY');
  }, 600_000);
});
