/**
 * One endpoint = one loopback listener standing for `host:port` on the real network. Whole-endpoint
 * behaviours decide what listens: nothing (`closed`), a TCP server that never speaks (`silent`), one
 * that resets (`reset`), or an HTTP/HTTPS server whose requests are recorded and then answered by
 * behaviour.ts. By default it listens on 127.0.0.1 on an ephemeral port; in real-ports mode (see
 * real-ports.ts) on the addresses the scenario's DNS gives its names, on the real port — one
 * listener per address, all sharing the behaviour and the logs.
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
import { hostPort, reserveClosedPort } from './ports.ts';

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
  /** `127.0.0.1:PORT` where a client really connects (real ports: the first bound `address:port`). */
  target: string;
  close(): Promise<void>;
}

export function endpointKeys(spec: EndpointSpec): string[] {
  return [spec.host, ...(spec.aliases ?? [])].map((h) => `${h.toLowerCase()}:${spec.port}`);
}

/** Where to listen instead of 127.0.0.1:0 (real-ports mode). */
export interface ListenAt {
  addresses: string[];
  port: number;
}

function listen(server: net.Server, address = '127.0.0.1', port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(port === 0 ? err : new Error(`cannot listen on ${hostPort(address, port)}: ${err.code ?? err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
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
  at?: ListenAt,
): Promise<RunningEndpoint> {
  const keys = endpointKeys(spec);
  const key = keys[0];
  const kind = spec.behaviour.kind;

  if (kind === 'closed') {
    // Real ports: nothing listens on the address, so the namespace's loopback refuses.
    if (at) return { key, keys, target: hostPort(at.addresses[0] ?? '127.0.0.1', at.port), close: async () => {} };
    const port = await reserveClosedPort();
    return { key, keys, target: `127.0.0.1:${port}`, close: async () => {} };
  }

  const sockets = new Set<net.Socket>();
  // Which connection carried a request: by the client's address and port (the TLS socket of a
  // request and the TCP socket accepted share them; a port reused later is a later entry).
  const connectionIndex = new Map<string, number>();
  const peer = (socket: net.Socket) => `${socket.remoteAddress}|${socket.remotePort}`;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    log.connections.push({ endpoint: key, port: spec.port, at: Date.now() });
    const id = peer(socket);
    const index = log.connections.length - 1;
    connectionIndex.set(id, index);
    socket.on('close', () => {
      sockets.delete(socket);
      if (connectionIndex.get(id) === index) connectionIndex.delete(id);
    });
    socket.on('error', () => {}); // client resets are part of the game, not lab failures
  };

  let createServer: () => net.Server;
  if (kind === 'silent' || kind === 'reset') {
    createServer = () =>
      net.createServer((socket) => {
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
        ...(connectionIndex.has(peer(req.socket)) ? { connection: connectionIndex.get(peer(req.socket)) } : {}),
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
    createServer = () => {
      const server = tls
        ? https.createServer({ cert: certificate.chainPem.join(''), key: certificate.keyPem, minVersion: 'TLSv1.2' }, onRequest)
        : http.createServer(onRequest);
      // A client rejecting our certificate is a test outcome, not a server error.
      server.on('tlsClientError', () => {});
      server.on('connection', track);
      return server;
    };
  }

  const servers: net.Server[] = [];
  const closeAll = () => {
    const closed = Promise.all(servers.map(closeServer)).then(() => undefined);
    for (const socket of sockets) socket.destroy();
    return closed;
  };
  let target: string;
  if (at) {
    try {
      for (const address of at.addresses) {
        const server = createServer();
        await listen(server, address, at.port);
        servers.push(server);
      }
    } catch (err) {
      await closeAll();
      throw err;
    }
    target = hostPort(at.addresses[0] ?? '127.0.0.1', at.port);
  } else {
    const server = createServer();
    const port = await listen(server);
    servers.push(server);
    target = `127.0.0.1:${port}`;
  }
  let closing: Promise<void> | undefined;
  return {
    key,
    keys,
    target,
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}
