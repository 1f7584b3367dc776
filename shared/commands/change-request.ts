import { featureOptionDefinitions } from '../options/change.js';
import type { AnswersChange } from './change-plan.js';
import { kindOf, parseAnyFeatureRequests, requireSomeName, withOptionFlags } from '../model/feature-request.js';
import { AegisError } from '../errors.js';
import { parseOptionFlags } from '../options/parse.js';
import { OPTIONAL_COMPONENTS, SERVICES } from '../model/registry.js';

/** The feature option flags add takes (`--persistence sqlite`), one per option name of every optional feature. */
export const ADD_OPTION_FLAGS = featureOptionDefinitions([...OPTIONAL_COMPONENTS, ...SERVICES]);

/** `add <names…>` with its raw options: the features to add, option flags applied. */
export function addRequest(names: readonly string[], raw: Record<string, unknown>): AnswersChange {
  requireSomeName('add', names);
  const flags = parseOptionFlags(raw, ADD_OPTION_FLAGS);
  return { add: withOptionFlags(parseAnyFeatureRequests([...names]), flags), remove: [] };
}

/** `remove <names…>`: names only (a comma list too), each a known feature. */
export function removeRequest(names: readonly string[]): AnswersChange {
  requireSomeName('remove', names);
  const list = names.flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean);
  for (const name of list) {
    if (name.includes('[')) throw new AegisError(`Remove takes names only: "${name.replace(/\[.*$/, '')}", without options.`);
    kindOf(name);
  }
  return { add: [], remove: list };
}
