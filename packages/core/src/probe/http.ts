import type net from 'node:net';
import { Client } from 'undici';
import type { ProbeOptions } from '../options.ts';

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Header pairs in arrival order, names lower-cased (undici), values as sent. */
  headers: [string, string][];
  body: string;
  bodyBytes: number;
  truncated: boolean;
}

export interface HttpFailure {
  code: string;
  message: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export function headerValues(headers: [string, string][], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function headerValue(headers: [string, string][], name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/**
 * HTTP over a socket the probe opened itself (after its own TLS checks), so the certificate
 * captured and the requests sent travel on the same connection. If the server closes it between
 * requests, `reopen` supplies a new one to the same address (counted in `connections`).
 */
export class HttpSession {
  readonly #client: Client;
  readonly #options: ProbeOptions;
  #connections = 0;

  constructor(origin: string, first: net.Socket, reopen: () => Promise<net.Socket>, options: ProbeOptions) {
    this.#options = options;
    let initial: net.Socket | undefined = first;
    this.#client = new Client(origin, {
      pipelining: 1,
      headersTimeout: options.timeouts.httpMs,
      bodyTimeout: options.timeouts.httpMs,
      connect: (_opts, callback) => {
        this.#connections++;
        if (initial && !initial.destroyed) {
          const socket = initial;
          initial = undefined;
          // undici mishandles a synchronous callback (the request then stalls): hand it over on the next turn.
          setImmediate(() => callback(null, socket as never));
          return;
        }
        initial = undefined;
        reopen().then((s) => callback(null, s as never), (err: Error) => callback(err, null));
      },
    });
  }

  get connections(): number {
    return this.#connections;
  }

  /** The last request failure on this session (the client-certificate check reads it). */
  lastFailure: HttpFailure | undefined;

  async request(req: HttpRequest, signal?: AbortSignal): Promise<{ response?: HttpResponse; failure?: HttpFailure }> {
    // One deadline for the whole exchange, so a server trickling bytes cannot hold a phase hostage.
    const deadline = AbortSignal.timeout(this.#options.timeouts.httpMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const res = await this.#client.request({ method: req.method, path: req.path, headers: req.headers, body: req.body, signal: combined });
      const headers: [string, string][] = [];
      for (const [name, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.push([name, v]);
        else if (value != null) headers.push([name, String(value)]);
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        const room = this.#options.bodyLimitBytes - bytes;
        if (buf.length > room) {
          chunks.push(buf.subarray(0, room));
          bytes += room;
          truncated = true;
          res.body.destroy();
          break;
        }
        chunks.push(buf);
        bytes += buf.length;
      }
      return { response: { status: res.statusCode, statusText: res.statusText ?? '', headers, body: Buffer.concat(chunks).toString('utf8'), bodyBytes: bytes, truncated } };
    } catch (err) {
      const e = err as Error & { code?: string };
      if (signal?.aborted) return { failure: { code: 'ABORTED', message: 'aborted: the phase ran out of time' } };
      if (deadline.aborted) return { failure: { code: 'ETIMEDOUT', message: `no complete HTTP answer within ${this.#options.timeouts.httpMs} ms` } };
      const code = e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' ? 'ETIMEDOUT' : (e.code ?? 'ERR_HTTP');
      const message = code === 'ETIMEDOUT' ? `no HTTP answer within ${this.#options.timeouts.httpMs} ms` : e.message;
      this.lastFailure = { code, message };
      return { failure: this.lastFailure };
    }
  }

  async close(): Promise<void> {
    await this.#client.destroy().catch(() => {});
  }
}
