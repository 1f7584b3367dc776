import type { ProjectAnswers } from './answers.js';
import { pythonTag } from './python-versions.js';
import { CORE_COMPONENTS, OPTIONAL_COMPONENTS, SERVICES } from './registry.js';
import { pythonAssignment } from './python-literal.js';
import { type PythonPackageName, TOOL_VERSIONS, requirement } from './versions.js';

/** What templates see: prepared values and booleans, so templates hold no logic beyond `if`. */
export interface TemplateContext {
  readonly project: {
    readonly name: string;
    readonly description: string;
    readonly pythonVersion: string;
    readonly pythonTag: string;
  };
  /** `has.scheduler`, `has.auth`, …: one boolean per component and service. */
  readonly has: Readonly<Record<string, boolean>>;
  readonly tools: typeof TOOL_VERSIONS;
  readonly requirement: typeof requirement;
  /** Sorted requirements (`name==version`) of the project and of its `dev` group. */
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** A TOML basic string, quotes included. */
  readonly toml: (value: string) => string;
  /** `prefix = "value"` as ruff formats it, wrapped when too long. */
  readonly pythonField: typeof pythonAssignment;
}

function tomlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function requirements(names: Iterable<PythonPackageName>): string[] {
  return [...new Set(names)].sort().map(requirement);
}

export function buildTemplateContext(answers: ProjectAnswers): TemplateContext {
  const has: Record<string, boolean> = {};
  for (const feature of CORE_COMPONENTS) has[feature.name] = true;
  for (const feature of OPTIONAL_COMPONENTS) has[feature.name] = answers.components.includes(feature.name);
  for (const feature of SERVICES) has[feature.name] = answers.services.includes(feature.name);
  const selected = [...CORE_COMPONENTS, ...OPTIONAL_COMPONENTS, ...SERVICES].filter((feature) => has[feature.name]);
  return {
    project: {
      name: answers.name,
      description: answers.description,
      pythonVersion: answers.pythonVersion,
      pythonTag: pythonTag(answers.pythonVersion),
    },
    has,
    tools: TOOL_VERSIONS,
    requirement,
    dependencies: requirements(selected.flatMap((feature) => feature.pythonDependencies)),
    devDependencies: requirements(selected.flatMap((feature) => feature.pythonDevDependencies)),
    toml: tomlString,
    pythonField: pythonAssignment,
  };
}
