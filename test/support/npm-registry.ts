/**
 * Stands in for the npm registry (registry.npmjs.org or a private one named in .npmrc): a loopback HTTP server that
 * answers the two requests a package fetch makes, as the registry does — the packument (`GET /<name>`, JSON with
 * every version's `dist.tarball`, `dist.integrity` and `dist.shasum`) and the tarball itself. It differs from the
 * real one in what it leaves out: no search, no publishing, no abbreviated-metadata negotiation (it always sends the
 * full document, which npm accepts), no signatures.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryRequest {
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface RegistryStandIn {
  /** `http://127.0.0.1:<port>/`, what `registry=` in .npmrc names. */
  readonly url: string;
  readonly requests: RegistryRequest[];
  /** Publishes a tarball (an `npm pack` file) under `name@version`; `tamper` serves other bytes than its integrity says. */
  publish(name: string, version: string, tarballFile: string, options?: { tamper?: boolean }): void;
  /** Refuses every request without `Authorization: Bearer <token>` with 401, as a private registry does. */
  requireToken(token: string | undefined): void;
  close(): Promise<void>;
}

interface Published {
  readonly bytes: Buffer;
  readonly served: Buffer;
}

export async function startRegistry(): Promise<RegistryStandIn> {
  const packages = new Map<string, Map<string, Published>>();
  const requests: RegistryRequest[] = [];
  let token: string | undefined;
  let url = '';

  const tarballPath = (name: string, version: string): string => `/${name}/-/${name.split('/').pop()}-${version}.tgz`;

  function packument(name: string, versions: Map<string, Published>): unknown {
    const entries = [...versions].map(([version, published]) => [
      version,
      {
        name,
        version,
        dist: {
          tarball: `${url}${tarballPath(name, version).slice(1)}`,
          integrity: `sha512-${createHash('sha512').update(published.bytes).digest('base64')}`,
          shasum: createHash('sha1').update(published.bytes).digest('hex'),
        },
      },
    ]);
    const latest = entries.at(-1)?.[0];
    return { name, 'dist-tags': latest ? { latest } : {}, versions: Object.fromEntries(entries) };
  }

  function answer(request: IncomingMessage, response: ServerResponse): void {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname);
    requests.push({ path, authorization: request.headers.authorization });
    if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'authentication required' }));
      return;
    }
    const tarball = /^\/(.+)\/-\/[^/]+-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(path);
    if (tarball) {
      const published = packages.get(tarball[1]!)?.get(tarball[2]!);
      if (!published) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': published.served.length, 'cache-control': 'public, max-age=31557600' })
        .end(published.served);
      return;
    }
    const versions = packages.get(path.slice(1));
    if (!versions) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }).end(JSON.stringify(packument(path.slice(1), versions)));
  }

  const server: Server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    requests,
    publish(name, version, tarballFile, options = {}) {
      const bytes = readFileSync(tarballFile);
      const served = options.tamper ? Buffer.concat([bytes, Buffer.from('tampered')]) : bytes;
      if (!packages.has(name)) packages.set(name, new Map());
      packages.get(name)!.set(version, { bytes, served });
    },
    requireToken(value) {
      token = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
