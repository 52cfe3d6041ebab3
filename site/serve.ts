/**
 * Serves a built site on loopback for `npm run site:serve`. The site is plain files with relative
 * links, so this is a small static file server of our own rather than a dev server: every answer
 * is a status and a short text (never a stack trace), only files inside the site folder are
 * served, and only to a browser that asked for this host (a page on another site cannot reach it
 * through DNS rebinding).
 */
import { open, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { printableLine } from '@discotrace/core/store/errors';
import { DEFAULT_OUT_DIR, SiteError } from './build.ts';

export const DEFAULT_PORT = 4321;
/** Ports tried after the default one when it is taken (an explicit --port is never moved). */
const DEFAULT_PORT_TRIES = 10;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SiteServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  outDir?: string;
  /** A port chosen by the user is used or refused; without one, 4321 or the next free of ten. */
  port?: number;
  host?: string;
  /** One line per failed request (a file that vanished, a read error); default stderr. */
  log?: (line: string) => void;
}

export async function serveSite(options: ServeOptions = {}): Promise<SiteServer> {
  const root = await realpath(path.resolve(options.outDir ?? DEFAULT_OUT_DIR)).catch(() => {
    throw new SiteError(`no built site in ${options.outDir ?? DEFAULT_OUT_DIR}; build it first (npm run site)`);
  });
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = createServer((req, res) => {
    handle(root, req, res).catch((error: unknown) => {
      log(`site: ${req.method} ${printableLine((req.url ?? '').slice(0, 200))}: ${(error as Error).message}`);
      if (!res.headersSent) answer(res, 500, 'The file could not be read.');
      else res.destroy();
    });
  });
  const tries = options.port === undefined ? DEFAULT_PORT_TRIES : 1;
  const first = options.port ?? DEFAULT_PORT;
  for (let i = 0; ; i++) {
    try {
      await listen(server, first + i, host);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && i + 1 < tries) continue;
      const why = code === 'EADDRINUSE' ? 'is in use (another server runs there; choose another with --port N)'
        : code === 'EACCES' ? 'needs privileges (ports below 1024; choose another with --port N)'
        : `cannot be opened (${code ?? (error as Error).message})`;
      throw new SiteError(tries > 1 ? `ports ${first}–${first + tries - 1} on ${host}: none is free; choose one with --port N` : `port ${first + i} on ${host} ${why}`);
    }
  }
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A browser keeps connections open; they must not hold the process after Ctrl-C.
      server.closeAllConnections();
    }),
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      server.off('listening', done);
      reject(error);
    };
    const done = () => {
      server.off('error', failed);
      resolve();
    };
    server.once('error', failed);
    server.once('listening', done);
    server.listen(port, host);
  });
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'Only GET and HEAD are served.', { allow: 'GET, HEAD' });
  const target = requestPath(req);
  if (target === 'forbidden') return answer(res, 403, 'This server answers only to the address it printed.');
  if (target === 'bad') return answer(res, 400, 'Not a path of this site.');
  const found = await resolveFile(root, target);
  if (found === 'bad') return answer(res, 400, 'Not a path of this site.');
  if (!found) return answer(res, 404, 'Not found. The runs page is at /.', {}, true);
  // One open file for the length and the body: a rebuild that swaps the folder mid-request must
  // not pair one file's length with another's bytes.
  const handle = await open(found, 'r').catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) {
    if (handle.code === 'ENOENT') return answer(res, 404, 'Not found. The runs page is at /.', {}, true);
    return answer(res, handle.code === 'EACCES' || handle.code === 'EPERM' ? 403 : 500, 'The file could not be read.');
  }
  let streaming = false;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return answer(res, 404, 'Not found. The runs page is at /.', {}, true);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(found).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(info.size),
      'cache-control': 'no-cache',
      ...SAFE_HEADERS,
    });
    if (req.method === 'HEAD') return void res.end();
    streaming = true;
    await new Promise<void>((resolve, reject) => {
      // The stream owns the handle from here (it closes it when done or destroyed).
      const stream = handle.createReadStream({ start: 0, end: Math.max(0, info.size - 1) });
      stream.once('error', reject);
      res.once('close', () => {
        stream.destroy();
        resolve();
      });
      if (info.size === 0) {
        stream.destroy();
        res.end();
      } else stream.pipe(res);
    });
  } finally {
    if (!streaming) await handle.close().catch(() => {});
  }
}

/** Headers on every answer: never sniffed as another type, never readable by another site's page. */
const SAFE_HEADERS = { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' } as const;

/**
 * The path a request asks for, from an origin-form target ("/run/x.html") or an absolute one
 * ("http://127.0.0.1:4321/run/x.html"), the host checked either way: loopback names only, one
 * Host header (a page on another site cannot reach this server through DNS rebinding).
 */
function requestPath(req: IncomingMessage): string | 'bad' | 'forbidden' {
  const hosts = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i]!.toLowerCase() === 'host');
  if (hosts.length !== 1) return 'bad';
  if (!loopback(req.headers.host ?? '')) return 'forbidden';
  const url = req.url ?? '/';
  if (url.startsWith('/')) return url;
  try {
    const absolute = new URL(url);
    if (absolute.protocol !== 'http:') return 'bad';
    return loopback(absolute.host) ? absolute.pathname + absolute.search : 'forbidden';
  } catch {
    return 'bad';
  }
}

/** Loopback names only: what a person types, never a name a foreign page could point here. */
function loopback(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '127.0.0.1' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * The file a request path names, inside the site: '/' and folders mean their index.html, a path
 * without its .html its page. Decoded segment by segment, so an encoded slash or '..' is a bad
 * path, never a way out; a path ending in '/' names a folder only (a page there would load its
 * stylesheet from the wrong place).
 */
async function resolveFile(root: string, url: string): Promise<string | 'bad' | undefined> {
  const raw = url.split(/[?#]/)[0]!;
  if (!raw.startsWith('/')) return 'bad';
  const segments: string[] = [];
  for (const part of raw.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return 'bad';
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..' || /[/\\\0]/.test(segment)) return 'bad';
    segments.push(segment);
  }
  const wanted = path.join(root, ...segments);
  const folder = raw.endsWith('/');
  for (const candidate of folder ? [path.join(wanted, 'index.html')] : [wanted, path.join(wanted, 'index.html'), `${wanted}.html`]) {
    const info = await stat(candidate).catch(() => undefined);
    if (!info?.isFile()) continue;
    // A link inside the site must not lead out of it.
    const real = await realpath(candidate).catch(() => undefined);
    if (!real || (real !== root && !real.startsWith(root + path.sep))) return undefined;
    return real;
  }
  return undefined;
}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}, html = false): void {
  const body = html
    ? `<!doctype html><html lang="en"><meta charset="utf-8"><title>${status} · discotrace</title><p>${text.replace('/.', '<a href="/">/</a>.')}</p></html>\n`
    : `${text}\n`;
  res.writeHead(status, { 'content-type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...SAFE_HEADERS, ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
