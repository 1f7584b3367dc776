/**
 * The ingress's files for every shape of stack: compose files parsed (with Compose's `!reset` / `!override` merge
 * tags) and validated against the Compose Specification's JSON schema, the production merge applied as Compose
 * does, and Traefik's static configuration read. Not run: there is no Docker engine (nor Traefik) here.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { render, renderedText } from '../../shared/engine/render.js';

type Doc = Record<string, unknown>;
interface Service {
  ports?: unknown[];
  restart?: string;
  environment?: Record<string, string>;
  labels?: Record<string, string>;
  volumes?: string[];
}

const RESET = Symbol('reset');
const OVERRIDE = Symbol('override');
const tags = ['sequence', 'mapping', 'scalar'].flatMap((kind) => [
  new yaml.Type('!reset', { kind: kind as 'sequence', construct: () => ({ [RESET]: true }) }),
  new yaml.Type('!override', { kind: kind as 'sequence', construct: (value: unknown) => ({ [OVERRIDE]: value }) }),
]);
const COMPOSE_YAML = yaml.DEFAULT_SCHEMA.extend(tags);

/** The document as the schema sees it: `!reset` and `!override` values resolved to what they stand for. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    if (RESET in value) return [];
    if (OVERRIDE in value) return plain((value as Record<symbol, unknown>)[OVERRIDE]);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

/** Compose's merge of an override file: mappings merge, lists append, `!reset` empties, `!override` replaces. */
function merge(base: unknown, override: unknown): unknown {
  if (override && typeof override === 'object' && RESET in override) return [];
  if (override && typeof override === 'object' && OVERRIDE in override) return plain((override as Record<symbol, unknown>)[OVERRIDE]);
  if (Array.isArray(base) && Array.isArray(override)) return [...base, ...override.map(plain)];
  if (base && override && typeof base === 'object' && typeof override === 'object' && !Array.isArray(base)) {
    const result: Record<string, unknown> = { ...(base as Doc) };
    for (const [key, value] of Object.entries(override)) result[key] = key in result ? merge(result[key], value) : plain(value);
    return result;
  }
  return plain(override);
}

const schema = JSON.parse(readFileSync(new URL('../fixtures/compose-spec.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
for (const format of ['duration', 'ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, true);
const validateCompose = ajv.compile(schema);

function files(components: string[], services: string[] = []) {
  const tree = render(normalizeAnswers({ name: 'shop', pythonVersion: '3.12', components, services }), { generatorVersion: '0.0.0' });
  const load = (path: string) => yaml.load(renderedText(tree, path), { schema: COMPOSE_YAML }) as Doc;
  return { tree, compose: load('docker-compose.yml'), prod: load('docker-compose.prod.yml'), traefik: yaml.load(renderedText(tree, 'traefik/traefik.yml')) as Doc };
}

const STACKS = {
  'plain HTTP, base stack': files(['ingress']),
  'TLS, every component': files(['scheduler[sqlite]', 'worker', 'database[postgres]', 'ingress[domain=shop.example.org,email=ops@example.org]'], ['auth', 'ai']),
  'TLS, SQLite database': files(['database', 'ingress[domain=shop.example.org,email=ops@example.org]']),
  'plain HTTP, worker and auth': files(['worker', 'ingress'], ['auth']),
};

describe.each(Object.entries(STACKS))('ingress files (%s; parsed and validated, not run: no Docker engine here)', (_, { compose, prod, traefik }) => {
  const merged = merge(compose, prod) as { name: string; services: Record<string, Service> };
  const tls = 'certificatesResolvers' in traefik;

  it('are valid against the Compose Specification, alone and merged for production', () => {
    for (const document of [plain(compose), plain(prod), merged]) {
      expect(validateCompose(document), JSON.stringify(validateCompose.errors)).toBe(true);
    }
  });

  it('publish only Traefik in production, restart everything but the one-shot migration, and name the project', () => {
    expect(merged.name).toBe('shop');
    for (const [name, service] of Object.entries(merged.services)) {
      if (name === 'traefik') expect(service.ports).toEqual(tls ? ['80:80', '443:443'] : ['80:80']);
      else expect(service.ports ?? [], name).toEqual([]);
      expect(service.restart, name).toBe(name === 'migrate' ? 'no' : 'unless-stopped');
    }
    expect(merged.services.webserver?.environment?.APP_ENV).toBe('production');
    expect(Object.keys((prod as { services: Doc }).services).sort()).toEqual(Object.keys((compose as { services: Doc }).services).sort());
  });

  it('route the app through Traefik by labels, with the admin paths (docs, dashboard, detailed health, admin API) behind a private-ranges allowlist', () => {
    const labels = (compose as { services: Record<string, Service> }).services.webserver!.labels!;
    expect(labels['traefik.enable']).toBe('true');
    expect(labels['traefik.http.routers.shop-admin.rule']).toMatch(/PathPrefix\(`\/dashboard`\) \|\| PathPrefix\(`\/docs`\) \|\| PathPrefix\(`\/redoc`\) \|\| Path\(`\/openapi.json`\)/);
    const adminRule = labels['traefik.http.routers.shop-admin.rule']!;
    expect(adminRule).toContain('Path(`/health/detailed`)');
    const hasWorker = 'worker-system' in (compose as { services: Doc }).services;
    for (const prefix of ['/api/worker', '/api/load-test']) expect(adminRule.includes(`PathPrefix(\`${prefix}\`)`), prefix).toBe(hasWorker);
    expect(adminRule).not.toMatch(/Path(Prefix)?\(`\/health`\)/);
    expect(labels['traefik.http.routers.shop-admin.middlewares']).toContain('shop-admin-allowlist');
    expect(labels['traefik.http.middlewares.shop-admin-allowlist.ipallowlist.sourcerange']).toBe(
      '${ADMIN_IP_ALLOWLIST:-127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16}',
    );
    const providers = traefik.providers as { docker: { exposedByDefault: boolean; network: string } };
    expect(providers.docker).toMatchObject({ exposedByDefault: false, network: 'shop_default' });
    expect(traefik.ping).toEqual({ entryPoint: 'traefik' });
    expect(traefik.api).toBeUndefined();
    if (tls) {
      expect(labels['traefik.http.routers.shop.rule']).toBe('Host(`${DOMAIN:-shop.example.org}`)');
      expect(labels['traefik.http.routers.shop.tls.certresolver']).toBe('letsencrypt');
      expect(labels['traefik.http.middlewares.shop-https-redirect.redirectscheme.scheme']).toBe('https');
      expect(labels['traefik.http.middlewares.shop-security-headers.headers.stsseconds']).toBe('31536000');
      const acme = (traefik.certificatesResolvers as { letsencrypt: { acme: Record<string, unknown> } }).letsencrypt.acme;
      expect(acme).toMatchObject({ email: 'ops@example.org', storage: '/letsencrypt/acme.json', httpChallenge: { entryPoint: 'web' } });
      expect((compose as { volumes: Doc }).volumes).toHaveProperty('letsencrypt');
      expect((compose as { services: Record<string, Service> }).services.traefik!.volumes).toContain('letsencrypt:/letsencrypt');
    } else {
      expect(labels['traefik.http.routers.shop.rule']).toBe('PathPrefix(`/`)');
      expect(labels['traefik.http.routers.shop.entrypoints']).toBe('web');
    }
  });
});

describe('the Compose schema check', () => {
  it('is not vacuous: an unknown service key and a mistyped field are refused', () => {
    expect(validateCompose({ services: { web: { image: 'x', restart_policy: 'always' } } })).toBe(false);
    expect(validateCompose({ services: { web: { image: 'x', ports: 'not-a-list' } } })).toBe(false);
    expect(validateCompose({ services: { web: { image: 'x', ports: ['80:80'] } } })).toBe(true);
  });
});

describe('ingress options', () => {
  it('refuse a domain without an email, an email without a domain, and malformed values', () => {
    expect(() => files(['ingress[domain=shop.example.org]'])).toThrow("ingress: a domain needs --email: Let's Encrypt registers the certificates to an address.");
    expect(() => files(['ingress[email=ops@example.org]'])).toThrow('ingress: --email goes with --domain');
    expect(() => files(['ingress[domain=https://shop.example.org]'])).toThrow('Invalid domain "https://shop.example.org" for ingress');
    expect(() => files(['ingress[domain=shop.example.org,email=nobody]'])).toThrow('Invalid email "nobody" for ingress: give an email address');
  });
});
