/**
 * The lab's DNS server: answers from a scenario zone like a recursive resolver would (CNAME chains
 * expanded, rcodes per name), over UDP and TCP on one loopback port. Built for node's c-ares
 * `dns.promises.Resolver` via `setServers(['127.0.0.1:PORT'])`.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, Question } from 'dns-packet';
import type { DnsBehaviour, DnsEntry, DnsRecordType, DnsZone } from './scenario.ts';
import { LabError } from './errors.ts';
import { hostPort } from './ports.ts';

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
type RcodeName = keyof typeof RCODE;

/** CNAME hops followed before answering SERVFAIL (what resolvers do on a loop). */
const MAX_CHAIN = 16;
/** Classic DNS UDP limit when the query carries no EDNS size. */
const PLAIN_UDP_LIMIT = 512;
const DEFAULT_TTL = 60;

/** What the server decided for one question; `timeout` means it stays silent. */
export type ZoneAnswer = { rcode: RcodeName; answers: Answer[] } | 'timeout';

export interface DnsQueryRecord {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  /** Rcode sent (NOERROR with no answers = NODATA), or `timeout` when nothing was sent. */
  outcome: RcodeName | 'timeout';
  answers: number;
  at: number;
}

export interface RunningDnsServer {
  /** "127.0.0.1:PORT" (real ports: "127.0.0.53:53"), ready for Resolver#setServers. */
  address: string;
  port: number;
  /** Every question received, in arrival order. */
  queries: DnsQueryRecord[];
  close(): Promise<void>;
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Lower-cases keys once so lookups are case-insensitive. */
export function indexZone(zone: DnsZone): Map<string, DnsEntry> {
  const index = new Map<string, DnsEntry>();
  for (const [name, entry] of Object.entries(zone)) index.set(normaliseName(name), entry);
  return index;
}

/** Exact name first, then the closest wildcard (`*.b.c` before `*.c`). */
function findEntry(index: Map<string, DnsEntry>, name: string): DnsEntry | undefined {
  const exact = index.get(name);
  if (exact) return exact;
  const labels = name.split('.');
  for (let i = 1; i < labels.length; i++) {
    const wildcard = index.get(`*.${labels.slice(i).join('.')}`);
    if (wildcard) return wildcard;
  }
  return undefined;
}

function behaviourFor(entry: DnsEntry, type: string): DnsBehaviour {
  return entry.byType?.[type as DnsRecordType] ?? entry.behaviour ?? 'answer';
}

function recordsOf(entry: DnsEntry, name: string, type: string): Answer[] {
  const ttl = entry.ttl ?? DEFAULT_TTL;
  switch (type) {
    case 'A':
      return (entry.A ?? []).map((data) => ({ type: 'A', name, ttl, data }));
    case 'AAAA':
      return (entry.AAAA ?? []).map((data) => ({ type: 'AAAA', name, ttl, data }));
    case 'SRV':
      return (entry.SRV ?? []).map((data) => ({ type: 'SRV', name, ttl, data: { ...data } }));
    case 'TXT':
      return (entry.TXT ?? []).map((data) => ({ type: 'TXT', name, ttl, data }));
    case 'MX':
      return (entry.MX ?? []).map((data) => ({ type: 'MX', name, ttl, data: { ...data } }));
    default:
      return [];
  }
}

/**
 * Answers one question from the zone. Unlisted names are NXDOMAIN. For any type but CNAME, an
 * alias is followed hop by hop and every CNAME record goes into the answer, so `resolve4` gets the
 * final addresses while `resolveCname` sees one hop at a time.
 */
export function answerFromZone(index: Map<string, DnsEntry>, qname: string, qtype: string): ZoneAnswer {
  const answers: Answer[] = [];
  let name = qname;
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const entry = findEntry(index, normaliseName(name));
    if (!entry) return { rcode: 'NXDOMAIN', answers };
    const behaviour = behaviourFor(entry, qtype);
    switch (behaviour) {
      case 'timeout':
        return 'timeout';
      case 'nxdomain':
        return { rcode: 'NXDOMAIN', answers };
      case 'servfail':
        return { rcode: 'SERVFAIL', answers: [] };
      case 'refused':
        return { rcode: 'REFUSED', answers: [] };
      case 'nodata':
        return { rcode: 'NOERROR', answers };
      case 'answer':
        break;
    }
    const ttl = entry.ttl ?? DEFAULT_TTL;
    if (entry.CNAME !== undefined) {
      answers.push({ type: 'CNAME', name, ttl, data: entry.CNAME });
      if (qtype === 'CNAME') return { rcode: 'NOERROR', answers };
      name = entry.CNAME;
      continue;
    }
    answers.push(...recordsOf(entry, name, qtype));
    return { rcode: 'NOERROR', answers };
  }
  return { rcode: 'SERVFAIL', answers: [] };
}

/** Builds the wire response for a decoded query, or null to stay silent. */
function respond(
  index: Map<string, DnsEntry>,
  query: ReturnType<typeof dnsPacket.decode>,
  transport: 'udp' | 'tcp',
  log: DnsQueryRecord[],
): Buffer | null {
  const question: Question | undefined = query.questions?.[0];
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  const flags = ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE;
  const reply = (rcode: RcodeName, answers: Answer[], truncated = false): Buffer =>
    dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: flags | RCODE[rcode] | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0),
      questions: query.questions,
      answers,
      // RFC 6891: an EDNS query gets an EDNS answer.
      additionals: opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
    });

  if (!question || (query as { opcode?: string }).opcode !== 'QUERY') {
    return reply('NOTIMP', []);
  }
  const decided = answerFromZone(index, question.name, question.type);
  const record: DnsQueryRecord = {
    name: question.name,
    type: question.type,
    transport,
    outcome: decided === 'timeout' ? 'timeout' : decided.rcode,
    answers: decided === 'timeout' ? 0 : decided.answers.length,
    at: Date.now(),
  };
  log.push(record);
  if (decided === 'timeout') return null;

  const wire = reply(decided.rcode, decided.answers);
  if (transport === 'udp') {
    const limit = opt && 'udpPayloadSize' in opt ? Math.max(opt.udpPayloadSize, PLAIN_UDP_LIMIT) : PLAIN_UDP_LIMIT;
    // Too big for UDP: say so (TC) and let the client retry over TCP.
    if (wire.length > limit) return reply(decided.rcode, [], true);
  }
  return wire;
}

function listenUdp(socket: dgram.Socket, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

function listenTcp(server: net.Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Where to listen instead of 127.0.0.1 on an ephemeral port (real-ports mode: 127.0.0.53:53). */
export interface DnsListenAt {
  address: string;
  port: number;
}

/**
 * Starts UDP and TCP listeners on the same ephemeral loopback port, or on exactly `at` (one
 * attempt: a fixed port that is taken is LAB_PORT_UNAVAILABLE).
 */
export async function startDnsServer(zone: DnsZone, at?: DnsListenAt): Promise<RunningDnsServer> {
  const address = at?.address ?? '127.0.0.1';
  const family = net.isIPv6(address) ? 'udp6' : 'udp4';
  const index = indexZone(zone);
  const queries: DnsQueryRecord[] = [];
  const tcpSockets = new Set<net.Socket>();

  const handle = (buf: Buffer, transport: 'udp' | 'tcp'): Buffer | null => {
    let query;
    try {
      query = dnsPacket.decode(buf);
    } catch {
      return null; // not DNS: ignore, like a server would drop garbage
    }
    if (query.type !== 'query') return null;
    return respond(index, query, transport, queries);
  };

  // TCP must share the UDP port number; retry when the TCP side of a fresh port is taken.
  for (let attempt = 0; attempt < (at ? 1 : 10); attempt++) {
    const udp = dgram.createSocket(family);
    udp.on('error', () => {}); // a failed send to a vanished client is not the lab's problem
    udp.on('message', (msg, rinfo) => {
      const out = handle(msg, 'udp');
      if (out) udp.send(out, rinfo.port, rinfo.address);
    });
    let port: number;
    try {
      port = await listenUdp(udp, at?.port ?? 0, address);
    } catch (err) {
      if (!at) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new LabError('LAB_PORT_UNAVAILABLE', `could not bind the lab DNS server on ${hostPort(address, at.port)}/udp: ${code}`, { cause: err });
    }
    const tcp = net.createServer((socket) => {
      tcpSockets.add(socket);
      socket.on('close', () => tcpSockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2) {
          const length = pending.readUInt16BE(0);
          if (pending.length < 2 + length) break;
          const out = handle(pending.subarray(2, 2 + length), 'tcp');
          pending = pending.subarray(2 + length);
          if (out) {
            const framed = Buffer.alloc(2 + out.length);
            framed.writeUInt16BE(out.length, 0);
            out.copy(framed, 2);
            socket.write(framed);
          }
        }
      });
    });
    try {
      await listenTcp(tcp, port, address);
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (at) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new LabError('LAB_PORT_UNAVAILABLE', `could not bind the lab DNS server on ${hostPort(address, port)}/tcp: ${code}`, { cause: err });
      }
      continue;
    }

    let closing: Promise<void> | undefined;
    return {
      address: hostPort(address, port),
      port,
      queries,
      close() {
        closing ??= Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => {
            for (const s of tcpSockets) s.destroy();
            tcp.close(() => resolve());
          }),
        ]).then(() => undefined);
        return closing;
      },
    };
  }
  throw new LabError('LAB_PORT_UNAVAILABLE', 'could not bind the lab DNS server on one UDP+TCP loopback port');
}
