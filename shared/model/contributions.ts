import type { CliContribution } from '../engine/slots/cli.js';
import type { ComposeContribution } from '../engine/slots/compose.js';
import type { DepsContribution } from '../engine/slots/deps.js';
import type { DockerContribution } from '../engine/slots/docker.js';
import type { HealthContribution } from '../engine/slots/health.js';
import type { IsortContribution } from '../engine/slots/isort.js';
import type { LifespanContribution } from '../engine/slots/lifespan.js';
import type { MakeContribution } from '../engine/slots/make.js';
import type { ModelsContribution } from '../engine/slots/models.js';
import type { MypyContribution } from '../engine/slots/mypy.js';
import type { PytestContribution } from '../engine/slots/pytest.js';
import type { RouterContribution } from '../engine/slots/routers.js';
import type { ReadmeContribution } from '../engine/slots/readme.js';
import type { SettingsContribution } from '../engine/slots/settings.js';

export type { CliContribution, ComposeContribution, DepsContribution, DockerContribution, HealthContribution, IsortContribution };
export type { LifespanContribution, MakeContribution, MypyContribution, PytestContribution, RouterContribution };
export type { ModelsContribution, ReadmeContribution, SettingsContribution };

/**
 * What a feature brings into the shared (base) files, as data. Each slot kind's type lives in its own module
 * under ./slots/; shared/engine/slots.ts turns the selected features' contributions into the lists templates iterate.
 */
export interface Contributions {
  readonly health?: readonly HealthContribution[];
  readonly routers?: readonly RouterContribution[];
  readonly deps?: DepsContribution;
  readonly lifespan?: readonly LifespanContribution[];
  readonly cli?: readonly CliContribution[];
  readonly pytest?: PytestContribution;
  readonly mypy?: readonly MypyContribution[];
  readonly isort?: IsortContribution;
  readonly make?: MakeContribution;
  readonly docker?: DockerContribution;
  readonly compose?: ComposeContribution;
  readonly settings?: SettingsContribution;
  readonly readme?: ReadmeContribution;
  readonly models?: ModelsContribution;
}
