// The Kubernetes target's option definitions, apart from the actions: every command's option table reads them, and
// importing the actions would load the SSH client with them.
import type { OptionDefinition } from '../options/definitions.js';

/** The deploy actions that also go to Kubernetes, with `--target kubernetes`. */
export const KUBERNETES_ACTIONS: ReadonlySet<string> = new Set(['push', 'status', 'logs', 'restart', 'shell', 'exec', 'stop', 'history']);

/** The options that choose the Kubernetes target, for every action in KUBERNETES_ACTIONS. */
export const KUBERNETES_TARGET_OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'target',
    type: 'string',
    valueName: 'ssh|kubernetes',
    description: 'The server of deploy-init over SSH, or the cluster of the kubernetes component (kubectl); default: the one deploy-init recorded',
  },
  { name: 'context', type: 'string', valueName: 'name', description: 'With --target kubernetes: the kubeconfig context (default: the one deploy-init recorded, else the current one)' },
];

/** `aegis deploy`'s options for the Kubernetes target (the SSH target ignores them). */
export const KUBERNETES_PUSH_OPTIONS: readonly OptionDefinition[] = [
  ...KUBERNETES_TARGET_OPTIONS,
  { name: 'tag', type: 'string', valueName: 'tag', description: 'With --target kubernetes: the image tag (default: the git commit)' },
  { name: 'rollout-timeout', type: 'string', valueName: 'seconds', description: 'With --target kubernetes: how long the migration and each rollout may take (default 300)' },
];
