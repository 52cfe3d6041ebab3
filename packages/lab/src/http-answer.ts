/**
 * Writing HTTP answers exactly as scenario data describes them, shared by the behaviours and the
 * emulated Exchange.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HeaderSpec } from './scenario.ts';
import type { LabRequest } from './records.ts';

/** Everything a behaviour may use to answer. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  record: LabRequest;
  /** The endpoint's primary host (for defaults such as the Exchange error Id). */
  host: string;
}

/** Header data as ordered [name, value] pairs; a string[] value becomes one pair per entry. */
export function headerPairs(spec: HeaderSpec | undefined): Array<[string, string]> {
  if (!spec) return [];
  if (Array.isArray(spec)) return spec.map(([k, v]) => [k, v]);
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(spec)) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v]);
  }
  return pairs;
}

function hasHeader(pairs: Array<[string, string]>, name: string): boolean {
  return pairs.some(([k]) => k.toLowerCase() === name);
}

/** The path without the query string. */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

/**
 * Writes a complete answer with headers exactly as given (order, case, repeats). Content-Length
 * is added unless the data sets it or asks for chunked transfer itself.
 */
export function send(
  ctx: RequestContext,
  status: number,
  headers: Array<[string, string]>,
  body = '',
  reason?: string,
): void {
  const { res, record } = ctx;
  if (res.destroyed || res.headersSent) return;
  const pairs = [...headers];
  if (!hasHeader(pairs, 'content-length') && !hasHeader(pairs, 'transfer-encoding')) {
    pairs.push(['Content-Length', String(Buffer.byteLength(body))]);
  }
  record.status = status;
  const flat = pairs.flat();
  if (reason !== undefined) res.writeHead(status, reason, flat);
  else res.writeHead(status, flat);
  res.end(ctx.req.method === 'HEAD' ? undefined : body);
}

/** Sends a TCP reset (ECONNRESET on the client) instead of an answer. */
export function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) {
    try {
      socket.resetAndDestroy();
      return;
    } catch {
      // TLS sockets may refuse a raw reset; a plain destroy still ends the exchange.
    }
  }
  socket.destroy();
}
