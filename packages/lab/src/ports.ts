/**
 * A loopback port where nothing listens, for `closed` endpoints (the client gets ECONNREFUSED).
 * A port bound and released from the kernel's ephemeral range could be handed to the next
 * `listen(0)` — another lab server, maybe in another test process. So the port is picked below
 * that range, where the kernel never assigns ports on its own, and checked free by binding it once.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { LabError } from './errors.ts';

const LOWEST = 10_000;
const FALLBACK_EPHEMERAL_START = 32_768;

function ephemeralStart(): number {
  try {
    // Linux: "32768\t60999"
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST + 1000 ? first : FALLBACK_EPHEMERAL_START;
  } catch {
    return FALLBACK_EPHEMERAL_START;
  }
}

/** "127.0.0.20:443", "[::1]:443". */
export function hostPort(address: string, port: number): string {
  return net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

function bindOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Returns a free loopback port outside the ephemeral range. */
export async function reserveClosedPort(): Promise<number> {
  const high = ephemeralStart();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    if (await bindOnce(port)) return port;
  }
  throw new LabError('LAB_PORT_UNAVAILABLE', 'found no free loopback port below the ephemeral range for a closed endpoint');
}
