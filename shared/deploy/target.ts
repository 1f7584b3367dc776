import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AegisError } from '../errors.js';

/** Where a project keeps its deploy target: committed with the project, never a secret. */
export const DEPLOY_FILE = '.aegis/deploy.json';

export interface DeployTarget {
  readonly host: string;
  readonly user: string;
  readonly port: number;
  /** The app folder on the server: releases/, shared/ and the current link live there. */
  readonly path: string;
  /** The private key file (its path only; the key never leaves this machine). */
  readonly key: string;
  /** How many releases to keep on the server. */
  readonly keepReleases: number;
  /** Checked on the server after `docker compose up`, with retries. */
  readonly healthUrl: string;
  /** The server's host key fingerprint (SHA256:…), pinned at the first connection. */
  readonly hostKey?: string;
}

export function defaultKeyPath(): string {
  return join(homedir(), '.ssh', 'id_ed25519');
}

function fail(file: string, problem: string): AegisError {
  return new AegisError(`${file}: ${problem} Run "aegis deploy-init --host …" again to rewrite it.`);
}

export function readTarget(root: string): DeployTarget {
  const file = join(root, DEPLOY_FILE);
  if (!existsSync(file)) {
    throw new AegisError(`No deploy target in ${root} (${DEPLOY_FILE}): run "aegis deploy-init --host <server>" first.`);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw fail(file, `not valid JSON (${(error as Error).message}).`);
  }
  if (raw.target === 'kubernetes' && raw.host === undefined) {
    throw new AegisError(
      `${file} records a Kubernetes target only (deploy-init --target kubernetes): this command works on a server over SSH. ` +
        'Run "aegis deploy-init --host <server>" to record one.',
    );
  }
  const text = (name: string): string => {
    const value = raw[name];
    if (typeof value !== 'string' || value === '') throw fail(file, `"${name}" must be a non-empty string.`);
    return value;
  };
  const port = raw.port;
  const keep = raw.keepReleases;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw fail(file, '"port" must be 1–65535.');
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 2) throw fail(file, '"keepReleases" must be 2 or more.');
  return {
    host: text('host'),
    user: text('user'),
    port,
    path: text('path'),
    key: text('key'),
    keepReleases: keep,
    healthUrl: text('healthUrl'),
    ...(typeof raw.hostKey === 'string' ? { hostKey: raw.hostKey } : {}),
  };
}

/** Writes the SSH target, which becomes the default; a Kubernetes target recorded before stays for --target kubernetes. */
export function writeTarget(root: string, target: DeployTarget): void {
  const file = join(root, DEPLOY_FILE);
  let kubernetes: unknown;
  try {
    kubernetes = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>).kubernetes : undefined;
  } catch {
    kubernetes = undefined;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(kubernetes && typeof kubernetes === 'object' ? { ...target, kubernetes } : target, null, 2)}\n`);
}
