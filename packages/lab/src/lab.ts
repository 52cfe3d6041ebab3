/**
 * startLab: runs a scenario on loopback — DNS server, lab CA, one listener per endpoint — and
 * returns what a probe needs to use it (dnsServers, connectTo, trusted roots) plus what it saw.
 * With `realPorts` (root, inside a network namespace: see real-ports.ts) it listens on the
 * scenario's own addresses and real ports instead, so a client needs only the DNS server.
 */
import type { Scenario } from './scenario.ts';
import type { LabConnection, LabRequest } from './records.ts';
import type { DnsQueryRecord, RunningDnsServer } from './dns-server.ts';
import type { IssuedCertificate } from './ca.ts';
import type { RunningEndpoint } from './endpoint.ts';
import { createLabCa } from './ca.ts';
import { startDnsServer } from './dns-server.ts';
import { endpointKeys, startEndpoint } from './endpoint.ts';
import { LabError } from './errors.ts';
import { getScenario } from './scenarios/index.ts';
import { validateScenario } from './validate.ts';
import { assertInTestNamespace, checkDnsAddress, DEFAULT_REAL_DNS_ADDRESS, planRealPorts } from './real-ports.ts';

/** The certificate an endpoint presents (public parts only). */
export interface ServedCertificate {
  certPem: string;
  /** Leaf first, then the intermediate when the scenario sends it. */
  chainPem: string[];
}

export interface RunningLab {
  /** The data it runs. */
  scenario: Scenario;
  /** "127.0.0.1:PORT" for Resolver#setServers (real ports: "127.0.0.53:53"). */
  dnsServer: string;
  /** Every "host:port" the scenario serves or deliberately closes → "127.0.0.1:PORT" (real ports: empty). */
  connectTo: Record<string, string>;
  /** PEM roots a probe should trust (the lab root; never the untrusted root). */
  caCertificates: string[];
  /** Every HTTP request any endpoint received, in arrival order. */
  requests: LabRequest[];
  /** Every TCP connection any endpoint accepted, in arrival order. */
  connections: LabConnection[];
  /** Every DNS question the server received, in arrival order. */
  dnsQueries: DnsQueryRecord[];
  /** Certificate presented per "host:port" (TLS endpoints only). */
  certificates: Record<string, ServedCertificate>;
  /** Closes everything; idempotent. */
  close(): Promise<void>;
}

export interface LabOptions {
  /**
   * Listen where the scenario's DNS puts each host (127.0.0.20:443 …) on the real ports, DNS on
   * `dnsAddress`:53 (UDP and TCP); `closed` endpoints do not listen; connectTo is empty. Only
   * inside a network namespace the caller created and names (`netns`), else LAB_REAL_PORTS_REFUSED.
   */
  realPorts?: boolean;
  /** Real ports: where DNS listens (port 53); default 127.0.0.53. Loopback only. */
  dnsAddress?: string;
  /** Real ports: the `ip netns` name this process runs in; default $DISCOTRACE_LAB_NETNS. Verified. */
  netns?: string;
}

/** Issues every certificate the scenario needs; named ones once, shared by their endpoints. */
async function issueCertificates(scenario: Scenario): Promise<{ rootPem: string; perEndpoint: Array<IssuedCertificate | undefined> }> {
  const needed = scenario.endpoints.some((e) => e.tls !== undefined);
  if (!needed) return { rootPem: '', perEndpoint: scenario.endpoints.map(() => undefined) };
  const ca = await createLabCa();
  const named = new Map<string, Promise<IssuedCertificate>>();
  const perEndpoint = await Promise.all(
    scenario.endpoints.map((endpoint) => {
      const kind = endpoint.behaviour.kind;
      // Connection-level behaviours never reach a TLS handshake.
      if (endpoint.tls === undefined || kind === 'closed' || kind === 'silent' || kind === 'reset') return undefined;
      if (typeof endpoint.tls === 'string') {
        const name = endpoint.tls;
        if (!named.has(name)) named.set(name, ca.issue(scenario.certificates![name]));
        return named.get(name)!;
      }
      return ca.issue(endpoint.tls);
    }),
  );
  return { rootPem: ca.rootPem, perEndpoint };
}

/**
 * Starts a scenario (an object, or a registry name). Validates it first (LAB_SCENARIO_INVALID);
 * if anything fails to start, what did start is closed again (LAB_START_FAILED).
 */
export async function startLab(scenarioOrName: Scenario | string, options: LabOptions = {}): Promise<RunningLab> {
  const scenario = validateScenario(typeof scenarioOrName === 'string' ? getScenario(scenarioOrName) : scenarioOrName);
  let real: { dnsAddress: string; listenOn: string[][] } | undefined;
  if (options.realPorts) {
    const dnsAddress = checkDnsAddress(options.dnsAddress ?? DEFAULT_REAL_DNS_ADDRESS);
    assertInTestNamespace(options.netns);
    real = { dnsAddress, listenOn: planRealPorts(scenario, dnsAddress) };
  } else if (options.dnsAddress !== undefined || options.netns !== undefined) {
    throw new LabError('LAB_REAL_PORTS_REFUSED', 'dnsAddress and netns only apply with realPorts: true');
  }
  const requests: LabRequest[] = [];
  const connections: LabConnection[] = [];
  const { rootPem, perEndpoint } = await issueCertificates(scenario);

  let dns: RunningDnsServer | undefined;
  const started: RunningEndpoint[] = [];
  const closeAll = async () => {
    await Promise.all([dns?.close(), ...started.map((e) => e.close())]);
  };
  try {
    dns = await startDnsServer(scenario.dns, real ? { address: real.dnsAddress, port: 53 } : undefined);
    // Real ports: an endpoint that no name resolves to is unreachable, so it does not listen.
    const toStart = scenario.endpoints
      .map((spec, i) => ({ spec, i, at: real ? { addresses: real.listenOn[i], port: spec.port } : undefined }))
      .filter(({ at }) => !at || at.addresses.length > 0);
    // allSettled: when one endpoint fails, wait for the others so that none is left open.
    const results = await Promise.allSettled(
      toStart.map(({ spec, i, at }) => startEndpoint(spec, perEndpoint[i], { requests, connections }, at)),
    );
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await closeAll();
    if (err instanceof LabError) throw err;
    throw new LabError('LAB_START_FAILED', `lab "${scenario.name}" could not start: ${(err as Error).message}`, { cause: err });
  }

  const connectTo: Record<string, string> = {};
  const certificates: Record<string, ServedCertificate> = {};
  if (!real) {
    for (const endpoint of started) {
      for (const key of endpoint.keys) connectTo[key] = endpoint.target;
    }
  }
  scenario.endpoints.forEach((spec, i) => {
    const cert = perEndpoint[i];
    if (!cert) return;
    for (const key of endpointKeys(spec)) {
      certificates[key] = { certPem: cert.certPem, chainPem: [...cert.chainPem] };
    }
  });

  let closing: Promise<void> | undefined;
  return {
    scenario,
    dnsServer: dns.address,
    connectTo,
    caCertificates: rootPem ? [rootPem] : [],
    requests,
    connections,
    dnsQueries: dns.queries,
    certificates,
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}
