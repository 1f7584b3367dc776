import type { FeatureSpec } from '../../shared/model/feature-spec.js';

const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

export const ingress: FeatureSpec = {
  name: 'ingress',
  kind: 'component',
  description:
    'Traefik v3 in front of the app: routing by Docker labels, admin paths behind an IP allowlist, TLS from Let\'s Encrypt with a domain, production compose overrides, server provisioning',
  requires: [],
  options: [
    {
      name: 'domain',
      description: 'The domain served over HTTPS with a Let\'s Encrypt certificate; without one, plain HTTP routed by path',
      values: [],
      default: '',
      text: { pattern: DOMAIN, label: 'a domain name (lowercase, no scheme)', example: 'app.example.com' },
    },
    {
      name: 'email',
      description: 'The Let\'s Encrypt account contact (needed with a domain)',
      values: [],
      default: '',
      text: { pattern: EMAIL, label: 'an email address', example: 'ops@example.com' },
    },
  ],
  // TLS (with Let's Encrypt) when it has a domain; the web server's routing labels for either.
  prepare: (values) => {
    const domain = values.domain ?? '';
    const tls = domain !== '';
    const host = `Host(\`\${DOMAIN:-${domain}}\`)`;
    return {
      tls,
      domain,
      email: values.email ?? '',
      entrypoint: tls ? 'websecure' : 'web',
      rule: tls ? host : 'PathPrefix(`/`)',
      // Around the admin paths' rule: the host too, with a domain.
      adminRuleOpen: tls ? `${host} && (` : '',
      adminRuleClose: tls ? ')' : '',
    };
  },
  checkOptions: (values) => {
    if (values.domain && !values.email) return 'a domain needs --email: Let\'s Encrypt registers the certificates to an address.';
    if (values.email && !values.domain) return '--email goes with --domain: without a domain there is no certificate to register.';
    return undefined;
  },
  pythonDependencies: [],
  pythonDevDependencies: [],
  contributes: {
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    // Its settings come after the services'; what docker compose reads (the allowlist, the domain, the host ports)
    // comes first in its .env.example section.
    settings: {
      sections: [
        {
          order: 1,
          heading: {
            config: "Ingress: Traefik's ping endpoint (compose sets http://traefik:8080/ping)",
            dotenv: 'Ingress (Traefik, traefik/traefik.yml; make ingress starts it with docker compose)',
          },
          entries: [
            {
              env: 'INGRESS_PING_URL',
              field: {
                name: 'ingress_ping_url',
                type: 'HttpUrl',
                default: 'HttpUrl("http://127.0.0.1:8080/ping")',
                imports: [{ module: 'pydantic', names: ['HttpUrl'] }],
              },
              dotenv: {
                value: 'http://127.0.0.1:8080/ping',
                above: [
                  "Traefik's ping endpoint for the ingress health check; compose sets",
                  'http://traefik:8080/ping, make ingress publishes it on 127.0.0.1:8080',
                ],
              },
              readme: { default: '`http://127.0.0.1:8080/ping`', notes: 'compose sets `http://traefik:8080/ping`' },
            },
            {
              env: 'INGRESS_PING_TIMEOUT_SECONDS',
              field: { name: 'ingress_ping_timeout_seconds', type: 'float', default: 'Field(default=2.0, gt=0)' },
              dotenv: { value: '2.0' },
              readme: { default: '`2.0`' },
            },
            {
              env: 'ADMIN_IP_ALLOWLIST',
              dotenv: {
                value: '127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
                above: [
                  'Who may open /dashboard, /docs, /redoc and /openapi.json through Traefik:',
                  'comma-separated addresses or CIDR ranges; others get 403 (read by docker compose)',
                ],
                order: -1,
              },
              readme: { default: 'loopback and private ranges', notes: 'read by docker compose: who may open the admin paths through Traefik' },
            },
            {
              env: 'DOMAIN',
              when: ({ options }) => Boolean(options.domain),
              dotenv: ({ options }) => ({
                value: options.domain!,
                above: [
                  "The domain Traefik serves over HTTPS, with a Let's Encrypt certificate; its DNS",
                  'must point at this host. The ACME account email is in traefik/traefik.yml.',
                ],
                order: -2,
              }),
              readme: ({ options }) => ({ default: `\`${options.domain}\``, notes: 'read by docker compose: the domain served over HTTPS' }),
            },
            {
              env: 'HTTP_PORT',
              dotenv: ({ options }) => ({
                value: '80',
                commented: true,
                above: options.domain
                  ? ["Host ports of Traefik's web and websecure entrypoints in development", '(production uses 80 and 443)']
                  : ["Host port of Traefik's web entrypoint in development (production uses 80)"],
                order: -1,
              }),
            },
            {
              env: 'HTTPS_PORT',
              when: ({ options }) => Boolean(options.domain),
              dotenv: { value: '443', commented: true, order: -1 },
            },
          ],
        },
      ],
    },
    // Its check is registered after the services'.
    health: [{ name: 'ingress', module: 'app.components.ingress.health', fn: 'check_ingress', order: 1, summary: "Traefik's ping" }],
    // Its README lines come after the other components' (its section after the services').
    readme: {
      commands: {
        lines: ['make ingress      # docker compose up --detach traefik', 'make prod-up      # the production stack: only Traefik publishes ports'],
        order: 1,
      },
      section: { fragment: 'contrib/README.md.ejs', order: 1 },
      layout: { lines: ["  components/ingress/   the health check of Traefik's ping endpoint"], order: 2 },
    },
    make: { fragment: 'contrib/Makefile.ejs', order: 1 },
    docker: { ignore: ['docker-compose.prod.yml', 'traefik/', 'scripts/'] },
    // After the components' services (its production overrides are its own file's).
    compose: {
      services: [{ name: 'traefik' }],
      fragment: 'contrib/compose.yml.ejs',
      environment: [{ name: 'INGRESS_PING_URL', value: 'http://traefik:8080/ping' }],
      volumes: [{ name: 'letsencrypt', if: 'tls' }],
      labels: 'contrib/compose.labels.yml.ejs',
      order: 1,
    },
  },
  runCommand: { command: 'make ingress', description: 'start Traefik in front of the app (docker compose)' },
};
