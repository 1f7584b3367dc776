import type { OptionDefinition } from '../options/definitions.js';
import { KUBERNETES_PUSH_OPTIONS, KUBERNETES_TARGET_OPTIONS as K8S } from './kubernetes-options.js';

const PROJECT_PATH: OptionDefinition = {
  name: 'project-path',
  type: 'string',
  alias: 'p',
  valueName: 'dir',
  description: 'The project (default: the current folder)',
};
const SERVICE: OptionDefinition = { name: 'service', type: 'string', valueName: 'name', description: 'The compose service (default: all; for deploy-shell, webserver)' };
const HEALTH: OptionDefinition[] = [
  { name: 'health-retries', type: 'string', valueName: 'n', description: 'Health checks before a release counts as failed (default 30)' },
  { name: 'health-interval', type: 'string', valueName: 'seconds', description: 'Seconds between health checks (default 2)' },
];
const ROLLING: OptionDefinition[] = [
  { name: 'rolling', type: 'boolean', description: 'Start the new webserver beside the old one behind Traefik; the old stops once the new is healthy (the default with the ingress)' },
  { name: 'no-rolling', type: 'boolean', description: 'Restart everything with docker compose up instead (a short outage)' },
];

/** The options of each deploy action, shared by `aegis deploy-*` and `yo aegis:deploy <action>`. */
export const DEPLOY_ACTION_OPTIONS: Readonly<Record<string, readonly OptionDefinition[]>> = {
  init: [
    { name: 'target', type: 'string', valueName: 'ssh|kubernetes', description: 'What the deploy commands go to from now on: a server over SSH (default), or the cluster of the kubernetes component' },
    { name: 'host', type: 'string', valueName: 'host', description: 'The server: a host name or IP address (required over SSH)' },
    { name: 'user', type: 'string', valueName: 'user', description: 'The SSH user (default root; another user needs passwordless sudo for deploy-setup)' },
    { name: 'port', type: 'string', valueName: 'port', description: 'The SSH port (default 22)' },
    { name: 'path', type: 'string', valueName: 'dir', description: 'The app folder on the server (default /opt/<project>)' },
    { name: 'key', type: 'string', valueName: 'file', description: 'The private key to log in with (default ~/.ssh/id_ed25519; keys only, no passwords)' },
    { name: 'keep-releases', type: 'string', valueName: 'n', description: 'Releases kept on the server (default 5)' },
    { name: 'health-url', type: 'string', valueName: 'url', description: 'Checked on the server after each start (default: http://127.0.0.1:8000/health; with the ingress, through Traefik)' },
    { name: 'accept-new-host-key', type: 'boolean', description: 'Record the server\'s host key without asking (headless); otherwise you are asked' },
    { name: 'context', type: 'string', valueName: 'name', description: 'With --target kubernetes: the kubeconfig context of the cluster (required)' },
    { name: 'namespace', type: 'string', valueName: 'ns', description: 'With --target kubernetes: the namespace (default: the production overlay\'s, the project name)' },
    PROJECT_PATH,
  ],
  setup: [PROJECT_PATH],
  push: [
    ...HEALTH,
    { name: 'no-backup', type: 'boolean', description: 'Skip the backup taken before a deploy that runs migrations (see deploy-backup)' },
    ...ROLLING,
    ...KUBERNETES_PUSH_OPTIONS,
    PROJECT_PATH,
  ],
  status: [...K8S, PROJECT_PATH],
  logs: [SERVICE, { name: 'follow', type: 'boolean', alias: 'f', description: 'Keep streaming new log lines' }, { name: 'tail', type: 'string', valueName: 'n', description: 'Lines of history (default 200)' }, ...K8S, PROJECT_PATH],
  shell: [SERVICE, ...K8S, PROJECT_PATH],
  restart: [SERVICE, ...K8S, PROJECT_PATH],
  exec: [{ name: 'run', type: 'boolean', description: 'Run in a new one-off container (docker compose run --rm; on Kubernetes a one-off pod), for a service that is not running such as migrate' }, ...K8S, PROJECT_PATH],
  stop: [SERVICE, ...K8S, PROJECT_PATH],
  'cd-setup': [
    { name: 'branch', type: 'string', valueName: 'name', description: 'Deploy on each push to this branch (default main)' },
    { name: 'force', type: 'boolean', description: 'Replace an existing .github/workflows/deploy.yml that differs' },
    PROJECT_PATH,
  ],
  history: [{ name: 'limit', type: 'string', valueName: 'n', description: 'Entries shown, newest first (default 20; over SSH)' }, ...K8S, PROJECT_PATH],
  rollback: [...HEALTH, ...ROLLING, PROJECT_PATH],
  backup: [
    { name: 'keep', type: 'string', valueName: 'n', description: 'Backups kept on the server, newest first (default 7)' },
    { name: 'keep-days', type: 'string', valueName: 'n', description: 'Also remove backups older than n days (the newest is always kept)' },
    { name: 'download', type: 'string', valueName: 'dir', description: 'Also copy the backup to <dir>/<id> on this machine' },
    PROJECT_PATH,
  ],
  backups: [PROJECT_PATH],
  restore: [
    { name: 'yes', type: 'boolean', alias: 'y', description: 'Restore without asking (headless); otherwise you are asked on a terminal' },
    { name: 'drill', type: 'boolean', description: 'Restore into scratch copies on the server and check them, changing nothing live (no question asked)' },
    PROJECT_PATH,
  ],
};
