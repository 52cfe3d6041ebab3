/**
 * One endpoint = one loopback listener standing for `host:port` on the real network. Whole-endpoint
 * behaviours decide what listens: nothing (`closed`), a TCP server that never speaks (`silent`), one
 * that resets (`reset`), or an HTTP/HTTPS server whose requests are recorded and then answered by
 * behaviour.ts.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { EndpointSpec } from './scenario.ts';
import type { IssuedCertificate } from './ca.ts';
import type { LabConnection, LabRequest } from './records.ts';
import { serveBehaviour } from './behaviour.ts';
import { resetConnection, send } from './http-answer.ts';
import { reserveClosedPort } from './ports.ts';

/** Request bodies are recorded up to this size (the rest is read and dropped). */
const MAX_RECORDED_BODY = 1024 * 1024;

export interface EndpointLog {
  requests: LabRequest[];
  connections: LabConnection[];
}

export interface RunningEndpoint {
  /** `host:port` of the primary name. */
  key: string;
  /** `host:port` of every name it serves (primary first), lower-case. */
  keys: string[];
  /** `127.0.0.1:PORT` where a client really connects. */
  target: string;
  close(): Promise<void>;
}

export function endpointKeys(spec: EndpointSpec): string[] {
  return [spec.host, ...(spec.aliases ?? [])].map((h) => `${h.toLowerCase()}:${spec.port}`);
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** The Host header's name part (no port, IPv6 brackets kept). */
function hostFromHeader(value: string | undefined): string {
  if (!value) return '';
  return value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.replace(/:\d+$/, '');
}

export async function startEndpoint(
  spec: EndpointSpec,
  certificate: IssuedCertificate | undefined,
  log: EndpointLog,
): Promise<RunningEndpoint> {
  const keys = endpointKeys(spec);
  const key = keys[0];
  const kind = spec.behaviour.kind;

  if (kind === 'closed') {
    const port = await reserveClosedPort();
    return { key, keys, target: `127.0.0.1:${port}`, close: async () => {} };
  }

  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // client resets are part of the game, not lab failures
    log.connections.push({ endpoint: key, port: spec.port, at: Date.now() });
  };

  let server: net.Server;
  if (kind === 'silent' || kind === 'reset') {
    server = net.createServer((socket) => {
      track(socket);
      if (kind === 'reset') resetConnection(socket);
    });
  } else {
    const tls = certificate !== undefined;
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const socket = req.socket as TLSSocket;
      const sni = tls && typeof socket.servername === 'string' ? socket.servername : undefined;
      const headers: Array<[string, string]> = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const record: LabRequest = {
        endpoint: key,
        host: (sni || hostFromHeader(req.headers.host) || spec.host).toLowerCase(),
        port: spec.port,
        tls,
        ...(sni !== undefined ? { sni } : {}),
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: '',
        at: Date.now(),
      };
      log.requests.push(record); // at arrival, so the log is in arrival order

      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        if (size < MAX_RECORDED_BODY) chunks.push(chunk.subarray(0, MAX_RECORDED_BODY - size));
        size += chunk.length;
      });
      req.on('error', () => {});
      req.on('end', () => {
        record.body = Buffer.concat(chunks).toString('utf8');
        serveBehaviour(spec.behaviour, { req, res, record, host: spec.host }).catch(() => {
          // A lab bug must not take the test process down or print a stack: answer 500.
          send({ req, res, record, host: spec.host }, 500, [['Content-Type', 'text/plain']], 'lab behaviour failed\n');
        });
      });
    };
    server = tls
      ? https.createServer({ cert: certificate.chainPem.join(''), key: certificate.keyPem, minVersion: 'TLSv1.2' }, onRequest)
      : http.createServer(onRequest);
    // A client rejecting our certificate is a test outcome, not a server error.
    server.on('tlsClientError', () => {});
    server.on('connection', track);
  }

  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    key,
    keys,
    target: `127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
