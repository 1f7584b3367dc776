import { describe, expect, it } from 'vitest';
import { refuseOutOfStepProject } from '../../shared/commands/change-plan.js';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { packageVersion } from '../../shared/package-info.js';

const state = (version: string) => ({ version, answers: normalizeAnswers({ name: 'demo' }) });

describe('add and remove on a project recorded at another version', () => {
  it('go ahead at this version, also when only build metadata differs', () => {
    expect(() => refuseOutOfStepProject('/p', state(packageVersion))).not.toThrow();
    expect(() => refuseOutOfStepProject('/p', state(`${packageVersion}+local.1`))).not.toThrow();
  });

  it('send an older project to aegis update, and a newer one to its own version', () => {
    expect(() => refuseOutOfStepProject('/p', state('0.0.1'))).toThrow(/run "aegis update" first/);
    expect(() => refuseOutOfStepProject('/p', state('99.0.0'))).toThrow(/npm install -g generator-aegis@99\.0\.0/);
  });
});
