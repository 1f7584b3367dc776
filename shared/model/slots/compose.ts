import type { OptionValues } from '../feature-spec.js';
import type { Ordered } from './order.js';

/**
 * What a feature brings into `docker-compose.yml` (and, with the ingress, `docker-compose.prod.yml`). Its `order`
 * places all of it: its services, the web server's environment entries and `depends_on`, its volumes and its
 * production overrides come in the same order.
 *
 * Entries that exist only for some option values name one of the feature's prepared booleans (its spec's
 * `prepare`) in `if`, e.g. `{ name: 'postgres-data', if: 'postgres' }`.
 */
export interface ComposeContribution extends Ordered {
  /**
   * The services it adds, possibly only for some option values (as the catalog lists them). The fragment renders
   * exactly these (test/unit/compose-slot.test.ts); a feature without a fragment names the base file's own.
   */
  readonly services: readonly ComposeService[];
  /**
   * EJS fragment (relative to the feature's folder (`components/<name>/`)) of those services, indented under `services:`, each
   * followed by a blank line.
   */
  readonly fragment?: string;
  /** The web server's `environment` entries. */
  readonly environment?: readonly ComposeEnvironment[];
  /** The services the web server waits for. */
  readonly dependsOn?: readonly ComposeDependency[];
  /** Named volumes, declared under the top-level `volumes:`. */
  readonly volumes?: readonly ComposeVolume[];
  /** EJS fragment of the web server's `labels` entries (the ingress's routing), indented under `labels:`. */
  readonly labels?: string;
  /**
   * Paths only the admin allowlist reaches through the ingress (`PathPrefix` rules), besides the app's own
   * (dashboard, docs, `/health/detailed`): the fragments see them as `adminPaths`, the README sections as `adminApi`.
   */
  readonly adminPaths?: readonly string[];
  /** EJS fragment of its services' production overrides (`docker-compose.prod.yml`), each followed by a blank line. */
  readonly production?: string;
}

/** A compose service, e.g. `{ name: 'postgres', when: { engine: 'postgres' } }`. */
export interface ComposeService {
  readonly name: string;
  /** Only when the feature's options match these. */
  readonly when?: OptionValues;
}

/** `NAME: value`; the value is EJS, rendered with the template context (`<%= database.composeUrl %>`). */
export interface ComposeEnvironment {
  readonly name: string;
  readonly value: string;
  readonly if?: string;
}

/** `service: { condition }` under the web server's `depends_on`. */
export interface ComposeDependency {
  readonly service: string;
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  readonly if?: string;
}

export interface ComposeVolume {
  readonly name: string;
  readonly if?: string;
}
