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

for (const feature of ['featureflags', 'featureflags[redis]']) {
  test(`init with ${feature} = init, then add it`, () => checkConvergence(plugin, feature));
  test(`add, then remove ${feature}: the project as it was`, () => checkRoundTrip(plugin, feature));
  test(`a user's lines survive ${feature}`, () => checkUserLinesSurvive(plugin, feature));
  test(`the render of ${feature} matches the golden hashes`, () =>
    checkGoldenRender(plugin, feature, golden(feature.includes('redis') ? 'redis' : 'settings')));
}

test('the redis store brings redis and the run-time switches; the settings store neither', () => {
  const settings = renderPluginProject(pluginAnswers(plugin, 'featureflags'));
  const redis = renderPluginProject(pluginAnswers(plugin, 'featureflags[redis]'));
  assert.equal(settings.has('app/components/redis/client.py'), false);
  assert.doesNotMatch(settings.get('app/cli/flags.py'), /def turn_on/);
  assert.equal(redis.has('app/components/redis/client.py'), true);
  assert.match(redis.get('app/cli/flags.py'), /def turn_on/);
  assert.match(redis.get('.yo-rc.json'), /"store": "redis"/);
});
