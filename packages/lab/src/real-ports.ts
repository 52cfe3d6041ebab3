/**
 * Real-ports mode: the lab listens where the scenario's own DNS says each host is (127.0.0.20:443
 * for autodiscover.contoso.com via mail.contoso.com) and serves DNS on port 53, so any client with
 * that DNS server in its resolv.conf runs unmodified — no connect-to map, no DNS option.
 *
 * Binding 127.0.0.x:443 and :53 on a host would collide with (or impersonate) real services, so
 * this mode only runs inside a network namespace the caller created and names: `ip netns add X`,
 * then `DISCOTRACE_LAB_NETNS=X ip netns exec X …` (or the `netns` option). The name is checked
 * against this process's own namespace (what `ip netns identify` does), not taken on trust.
 */
import { statSync } from 'node:fs';
import net from 'node:net';
import type { Scenario } from './scenario.ts';
import { answerFromZone, indexZone } from './dns-server.ts';
import { endpointKeys } from './endpoint.ts';
import { hostPort } from './ports.ts';
import { LabError } from './errors.ts';

/** Where the DNS server listens by default in real-ports mode: `nameserver 127.0.0.53`. */
export const DEFAULT_REAL_DNS_ADDRESS = '127.0.0.53';
/** The environment variable that declares the namespace (its `ip netns` name). */
export const NETNS_ENV = 'DISCOTRACE_LAB_NETNS';

const NETNS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function isLoopback(address: string): boolean {
  if (net.isIPv4(address)) return address.startsWith('127.');
  return net.isIPv6(address) && (address === '::1' || address === '0:0:0:0:0:0:0:1');
}

/**
 * Refuses (LAB_REAL_PORTS_REFUSED) unless `declared` (option, else $DISCOTRACE_LAB_NETNS) names an
 * `ip netns` namespace and this process really runs inside it.
 */
export function assertInTestNamespace(declared: string | undefined): string {
  const name = declared ?? process.env[NETNS_ENV];
  const how =
    `real-ports mode binds 127.0.0.x on ports 443, 80 and 53 and runs only inside a network namespace you created: ` +
    `ip netns add X && ip -n X link set lo up && ${NETNS_ENV}=X ip netns exec X <command>`;
  if (!name) throw new LabError('LAB_REAL_PORTS_REFUSED', `refusing to start: ${how} (no namespace declared: set ${NETNS_ENV} or the netns option)`);
  if (!NETNS_NAME.test(name)) throw new LabError('LAB_REAL_PORTS_REFUSED', `refusing to start: "${name}" is not a network namespace name; ${how}`);
  let mine, theirs;
  try {
    mine = statSync('/proc/self/ns/net');
    theirs = statSync(`/run/netns/${name}`);
  } catch (err) {
    throw new LabError('LAB_REAL_PORTS_REFUSED', `refusing to start: cannot check namespace "${name}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${how}`, { cause: err });
  }
  if (mine.dev !== theirs.dev || mine.ino !== theirs.ino) {
    throw new LabError('LAB_REAL_PORTS_REFUSED', `refusing to start: this process is not inside network namespace "${name}"; ${how}`);
  }
  return name;
}

/** Checks the DNS listen address: loopback only (it is a namespace's resolver, never a real one). */
export function checkDnsAddress(address: string): string {
  if (!isLoopback(address)) {
    throw new LabError('LAB_REAL_PORTS_REFUSED', `dnsAddress "${address}" must be a loopback address (127.x or ::1), e.g. ${DEFAULT_REAL_DNS_ADDRESS}`);
  }
  return address;
}

/** Addresses a resolver gets for a name from the scenario zone (CNAMEs followed, behaviours applied). */
function addressesOf(index: ReturnType<typeof indexZone>, name: string): string[] {
  const out: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const answer = answerFromZone(index, name, type);
    if (answer === 'timeout') continue;
    for (const record of answer.answers) if (record.type === type) out.push(record.data as string);
  }
  return out;
}

/**
 * Per endpoint (same order as scenario.endpoints): the addresses it listens on — every address
 * its host and aliases resolve to. An endpoint no name resolves to gets none: no client can reach
 * it, so it does not listen. Two endpoints needing the same address and port cannot both run
 * (LAB_SCENARIO_INVALID), and neither can an endpoint on the DNS server's address and port.
 */
export function planRealPorts(scenario: Scenario, dnsAddress: string): string[][] {
  const index = indexZone(scenario.dns);
  const owner = new Map<string, string>([[hostPort(dnsAddress, 53), 'the lab DNS server']]);
  const problems: string[] = [];
  const plan = scenario.endpoints.map((spec) => {
    const [key] = endpointKeys(spec);
    const names = [spec.host, ...(spec.aliases ?? [])];
    const addresses = [...new Set(names.flatMap((name) => addressesOf(index, name)))];
    for (const address of addresses) {
      const at = hostPort(address, spec.port);
      const taken = owner.get(at);
      if (taken) problems.push(`${key} and ${taken} both need ${at}`);
      else owner.set(at, key);
    }
    return addresses;
  });
  if (problems.length > 0) {
    throw new LabError('LAB_SCENARIO_INVALID', `scenario "${scenario.name}" cannot run on real ports:\n- ${problems.join('\n- ')}`);
  }
  return plan;
}
