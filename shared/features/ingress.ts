import type { FeatureSpec } from './feature-spec.js';

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
  envVars: ['INGRESS_PING_URL', 'INGRESS_PING_TIMEOUT_SECONDS', 'ADMIN_IP_ALLOWLIST', 'DOMAIN', 'HTTP_PORT', 'HTTPS_PORT'],
  contributes: {
    // Its check is registered after the services'.
    health: [{ name: 'ingress', module: 'app.components.ingress.health', fn: 'check_ingress', order: 1 }],
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
  generator: 'ingress',
};
