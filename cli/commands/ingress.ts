import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CHANGE_OPTIONS } from '../../shared/options/change.js';
import { AegisError } from '../../shared/errors.js';
import { readState } from '../../shared/model/project-state.js';
import { addOptions } from '../options.js';

/** `aegis ingress-enable --domain D --email E`: the ingress with TLS (added, or its options changed). */
export function registerIngress(program: Command): void {
  const command = program
    .command('ingress-enable')
    .description(
      "Put Traefik in front of the app with HTTPS for a domain (Let's Encrypt, HTTP→HTTPS redirect, HSTS): adds the ingress, or turns TLS on for the one there",
    );
  addOptions(command, [
    { name: 'domain', type: 'string', valueName: 'domain', description: 'The domain to serve, e.g. app.example.com (its DNS must point at the server)' },
    { name: 'email', type: 'string', valueName: 'email', description: "The Let's Encrypt account contact, e.g. ops@example.com" },
    ...CHANGE_OPTIONS,
  ]).action(async (options: Record<string, unknown>) => {
    if (typeof options.domain !== 'string' || typeof options.email !== 'string') {
      throw new AegisError('ingress-enable needs --domain and --email (for plain HTTP without a domain: aegis add ingress).');
    }
    readState(resolve(typeof options.projectPath === 'string' ? options.projectPath : '.'));
    const { changeHeadless } = await import('../headless.js');
    await changeHeadless('add', ['ingress'], options);
  });
}
