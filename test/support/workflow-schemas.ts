/**
 * The published JSON schemas of GitHub's files, vendored in test/fixtures/json-schemas (see SOURCE.md there):
 * SchemaStore's github-workflow and dependabot-2.0, and check-jsonschema's rule that every job has a timeout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';

export const SCHEMAS = join(import.meta.dirname, '..', 'fixtures', 'json-schemas');
const schema = (name: string): object => JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });

export const validators = {
  workflow: ajv.compile(schema('github-workflow.json')),
  timeout: ajv.compile(schema('github-workflows-require-timeout.json')),
  dependabot: ajv.compile(schema('dependabot.json')),
};

/** The schema's complaints about `document` (instance path and message), none when it is valid. */
export function valid(validate: (typeof validators)[keyof typeof validators], document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

/** A GitHub Actions workflow: valid against the workflow schema, and every job with a timeout. */
export function workflowProblems(document: unknown): string[] {
  return [...valid(validators.workflow, document), ...valid(validators.timeout, document)];
}
