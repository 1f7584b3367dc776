import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  checkConvergence,
  checkGoldenRender,
  checkRoundTrip,
  checkUserLinesSurvive,
  loadPlugin,
  pluginAnswers,
  renderPluginProject,
} from 'generator-aegis/testing';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = loadPlugin(root);
const golden = (name) => fileURLToPath(new URL(`golden/${name}.json`, import.meta.url));

for (const beside of ['', 'redis']) {
  const label = beside ? ` beside ${beside}` : '';
  const options = { with: beside };
  test(`init with ratelimit = init, then add it${label}`, () => checkConvergence(plugin, 'ratelimit', options));
  test(`add, then remove ratelimit: the project as it was${label}`, () => checkRoundTrip(plugin, 'ratelimit', options));
  test(`a user's lines survive ratelimit${label}`, () => checkUserLinesSurvive(plugin, 'ratelimit', options));
  test(`the render matches the golden hashes${label}`, () => checkGoldenRender(plugin, 'ratelimit', golden(beside || 'alone'), options));
}

test('counts in Redis when the project has redis, in memory otherwise', () => {
  const alone = renderPluginProject(pluginAnswers(plugin, 'ratelimit'));
  const withRedis = renderPluginProject(pluginAnswers(plugin, 'ratelimit,redis'));
  assert.equal(alone.has('app/components/ratelimit/redis_backend.py'), false);
  assert.match(alone.get('app/components/ratelimit/dependency.py'), /return MemoryRateLimiter\(\)/);
  assert.equal(withRedis.has('app/components/ratelimit/redis_backend.py'), true);
  assert.match(withRedis.get('app/components/ratelimit/dependency.py'), /return RedisRateLimiter\(create_redis\(settings\)\)/);
});
