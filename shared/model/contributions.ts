import type { AgentsContribution } from './slots/agents.js';
import type { CiContribution } from './slots/ci.js';
import type { CliContribution } from './slots/cli.js';
import type { ComposeContribution } from './slots/compose.js';
import type { DepsContribution } from './slots/deps.js';
import type { DockerContribution } from './slots/docker.js';
import type { HealthContribution } from './slots/health.js';
import type { IsortContribution } from './slots/isort.js';
import type { LifespanContribution } from './slots/lifespan.js';
import type { MakeContribution } from './slots/make.js';
import type { ModelsContribution } from './slots/models.js';
import type { MypyContribution } from './slots/mypy.js';
import type { PytestContribution } from './slots/pytest.js';
import type { RouterContribution } from './slots/routers.js';
import type { ReadmeContribution } from './slots/readme.js';
import type { SettingsContribution } from './slots/settings.js';

export type { CliContribution, ComposeContribution, DepsContribution, DockerContribution, HealthContribution, IsortContribution };
export type { LifespanContribution, MakeContribution, MypyContribution, PytestContribution, RouterContribution };
export type { ModelsContribution, ReadmeContribution, SettingsContribution, AgentsContribution, CiContribution };

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
  readonly ci?: CiContribution;
  readonly agents?: AgentsContribution;
}
