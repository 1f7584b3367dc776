import { createHash } from 'node:crypto';
import { AegisError } from '../errors.js';

/** OpenSSH's fingerprint of a host key blob: `SHA256:` and the unpadded base64 of its SHA-256. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export interface HostKeyPolicy {
  /** The fingerprint recorded for this target, if any. */
  readonly pinned?: string;
  /** Record an unknown key without asking (headless). */
  readonly acceptNew: boolean;
  /** Asks the user about an unknown key; undefined when there is no terminal to ask on. */
  readonly confirm?: (fingerprint: string) => Promise<boolean>;
}

export class HostKeyChanged extends AegisError {}

/**
 * Decides about the key a server presents: the pinned one passes; a different one is refused with both
 * fingerprints; an unknown one is accepted only when the user says so (a prompt, or --accept-new-host-key).
 * Returns the fingerprint to record.
 */
export async function checkHostKey(presented: string, where: string, policy: HostKeyPolicy): Promise<string> {
  if (policy.pinned !== undefined) {
    if (policy.pinned === presented) return presented;
    throw new HostKeyChanged(
      [
        `The host key of ${where} has changed, so this may not be your server: refusing to connect.`,
        `  recorded:  ${policy.pinned}`,
        `  presented: ${presented}`,
        'If the server was reinstalled or its keys were rotated, check the new fingerprint on the server',
        '(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and run "aegis deploy-init" again with --accept-new-host-key.',
      ].join('\n'),
    );
  }
  if (policy.acceptNew) return presented;
  if (policy.confirm && (await policy.confirm(presented))) return presented;
  throw new AegisError(
    `${where} is not known yet; its host key fingerprint is ${presented}. Compare it with the server's ` +
      '(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and run again with --accept-new-host-key to record it.',
  );
}
