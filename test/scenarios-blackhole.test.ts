/**
 * A real blackhole: connection attempts that are never answered (no SYN-ACK, no RST, no ICMP), as a
 * firewall that drops packets or a dead published address produces (reference §8 #11: timeout =
 * filtered/firewall/dead IP). Loopback always answers, so this test makes one: as root, inside a
 * network namespace it creates, a veth pair whose far end has the blackholed addresses' MAC as a
 * permanent neighbour entry and no such addresses itself — SYNs are delivered there and dropped,
 * because forwarding is off (no ICMP either). Only iproute2 (`ip`) and the kernel's veth driver are
 * needed; skipped with the reason when not root.
 *
 * The catalogue scenario transport-blackholed-hosts runs in the namespace (lab DNS on loopback), and
 * `discotrace probe` runs there too, with --connect-to sending example.com:443 and
 * autodiscover.example.com:443/80 to the blackholed addresses. Candidates are probed concurrently
 * (§2.2): the run takes about ONE connect timeout, not the sum of them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLE_PASSWORD, EXAMPLE_USER } from '../packages/lab/src/scenarios/example.ts';
import { CATALOGUE } from '../packages/lab/src/scenarios/catalogue.ts';
import { CLI, cleanEnv, ip, NODE, ROOT, run as runFor, SERVE, TestNamespace, waitReady as waitReadyFor, whyNotNetns, type Ran } from './utils/netns.ts';

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) => runFor(command, args, env, RUN_TIMEOUT_MS);
const waitReady = (child: import('node:child_process').ChildProcess) => waitReadyFor(child, READY_TIMEOUT_MS);

const SCENARIO = 'transport-blackholed-hosts';
const CONNECT_MS = CATALOGUE[SCENARIO]!.options!.timeouts!.connectMs!; // 1500
/** Blackholed addresses (never assigned to any interface) on the namespace's veth. */
const LOCAL = '10.254.0.1';
const BLACKHOLE_ROOT = '10.254.0.2';
const BLACKHOLE_AUTODISCOVER = '10.254.0.3';
const READY_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = 30_000;


interface StepLike {
  kind: string;
  status: string;
  startedAt?: string;
  durationMs?: number;
  data: Record<string, unknown>;
  findings: Array<{ code: string }>;
}
interface CandidateLike {
  source: string;
  steps: StepLike[];
}
interface Output {
  report: { verdict: { status: string; cause?: { code: string; title: string }; others: Array<{ code: string }> } };
  phases: Array<{ durationMs: number; candidates: CandidateLike[] }>;
}

const skipReason = whyNotNetns('a network namespace and a veth pair');

function realIt(name: string, fn: (t: { diagnostic: (message: string) => void }) => void | Promise<void>): void {
  it(name, async (t) => {
    if (skipReason) return t.skip(skipReason);
    await fn(t);
  });
}

describe('catalogue: transport — blackholed hosts in a network namespace (§8 #11, §2.2)', () => {
  const ns = new TestNamespace('dtbh');
  let probe: Ran;
  let out: Output;

  before(async () => {
    if (skipReason) return;
    ns.open();
    const netns = ns.name;
    // The blackhole: bh0 holds LOCAL/24; bh1 (its peer) receives the SYNs for the other addresses
    // of the /24, which no interface owns; with forwarding off the kernel drops them silently.
    try {
      ip('-n', netns, 'link', 'add', 'bh0', 'type', 'veth', 'peer', 'name', 'bh1');
    } catch (err) {
      throw new Error(`the blackhole needs the kernel's veth driver (ip link add … type veth): ${(err as Error).message}`);
    }
    ip('-n', netns, 'link', 'set', 'bh0', 'up');
    ip('-n', netns, 'link', 'set', 'bh1', 'up');
    ip('-n', netns, 'addr', 'add', `${LOCAL}/24`, 'dev', 'bh0');
    const mac = /link\/ether ([0-9a-f:]{17})/.exec(ip('-n', netns, 'link', 'show', 'bh1'))?.[1];
    assert.ok(mac, 'bh1 has a MAC address');
    // Permanent neighbours: no ARP, so the kernel never reports "host unreachable" — the SYN leaves.
    for (const address of [BLACKHOLE_ROOT, BLACKHOLE_AUTODISCOVER]) ip('-n', netns, 'neigh', 'add', address, 'lladdr', mac, 'dev', 'bh0', 'nud', 'permanent');
    const forwarding = spawnSync('ip', ['netns', 'exec', netns, 'sysctl', '-w', 'net.ipv4.conf.all.forwarding=0'], { encoding: 'utf8' });
    assert.equal(forwarding.status, 0, `forwarding off in the namespace: ${forwarding.stderr}`);

    const lab = (ns.lab = spawn('ip', ['netns', 'exec', netns, NODE, SERVE, SCENARIO], { cwd: ROOT, env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] }));
    const ready = await waitReady(lab);
    // The blackholed endpoints never get as far as TLS, so the lab issues no certificate (no --ca-file).
    const caFile: string[] = [];
    if (ready.caCertificates.length > 0) {
      const pem = path.join(ns.tmp, 'lab-root.pem');
      writeFileSync(pem, ready.caCertificates.join('\n'));
      caFile.push('--ca-file', pem);
    }
    // Every host the scenario serves goes to a blackholed address instead of the lab's listener.
    const blackholed: Record<string, string> = {
      'example.com:443': `${BLACKHOLE_ROOT}:443`,
      'autodiscover.example.com:443': `${BLACKHOLE_AUTODISCOVER}:443`,
      'autodiscover.example.com:80': `${BLACKHOLE_AUTODISCOVER}:80`,
    };
    assert.deepEqual(Object.keys(ready.connectTo).sort(), Object.keys(blackholed).sort(), 'every endpoint of the scenario is blackholed');
    const connectTo = Object.entries(blackholed).flatMap(([from, to]) => ['--connect-to', `${from}:${to}`]);
    probe = await run(
      'ip',
      ['netns', 'exec', netns, NODE, CLI, 'probe', EXAMPLE_USER, '--dns', ready.dnsServer, ...connectTo, ...caFile, '--timeout', String(CONNECT_MS), '--password-env', 'DT_PASSWORD', '--json', '--store', path.join(ns.tmp, 'store')],
      cleanEnv({ DT_PASSWORD: EXAMPLE_PASSWORD }),
    );
    try {
      out = JSON.parse(probe.stdout) as Output;
    } catch (err) {
      throw new Error(`probe printed no JSON (exit ${probe.code}, ${probe.signal}): ${probe.stderr.slice(0, 2000)}`, { cause: err });
    }
  });

  after(async () => {
    if (!skipReason) await ns.close();
  });

  const connectSteps = () =>
    out.phases[0]!.candidates
      .filter((c) => ['root-https', 'autodiscover-https', 'http-redirect'].includes(c.source))
      .map((c) => ({ source: c.source, step: c.steps.find((s) => s.kind === 'tcp:connect')! }));

  realIt('every blackholed candidate fails at TCP with a timeout at the blackholed address (TCP_TIMEOUT, not refused)', () => {
    const steps = connectSteps();
    assert.equal(steps.length, 3, probe.stdout.slice(0, 2000));
    for (const { source, step } of steps) {
      assert.ok(step, `${source} has a tcp:connect step`);
      assert.equal(step.status, 'fail', source);
      assert.equal(step.data.outcome, 'timeout', `${source}: ${JSON.stringify(step.data)}`);
      assert.deepEqual(step.findings.map((f) => f.code), ['TCP_TIMEOUT'], source);
      const attempts = step.data.attempts as Array<{ address: string; outcome: string; ms: number }>;
      assert.ok([BLACKHOLE_ROOT, BLACKHOLE_AUTODISCOVER].includes(attempts[0]!.address), JSON.stringify(attempts));
      assert.ok(attempts[0]!.ms >= CONNECT_MS - 50, `${source} waited its connect timeout (${attempts[0]!.ms} ms)`);
    }
  });

  realIt('the verdict names the timeout: not found, cause TCP_TIMEOUT (a firewall drops the packets or the address is dead); exit code 1', () => {
    assert.equal(probe.code, 1, `exit ${probe.code}; stderr: ${probe.stderr}`);
    assert.equal(out.report.verdict.status, 'not-found');
    assert.equal(out.report.verdict.cause?.code, 'TCP_TIMEOUT', JSON.stringify(out.report.verdict));
  });

  realIt(`the candidates are probed concurrently: the phase takes about one ${CONNECT_MS} ms connect timeout, not the sum (3 × ${CONNECT_MS} ms)`, (t) => {
    const phaseMs = out.phases[0]!.durationMs;
    t.diagnostic(`phase ${phaseMs} ms; discotrace probe (node start-up included) ${Math.round(probe.ms)} ms`);
    assert.ok(phaseMs >= CONNECT_MS - 50, `the phase waited for the timeout (${phaseMs} ms)`);
    assert.ok(phaseMs < CONNECT_MS + 1000, `phase took ${phaseMs} ms: about one connect timeout expected, not ${3 * CONNECT_MS}`);
    // The whole CLI run (node start-up, state machine, report included) stays below the sum as well.
    assert.ok(probe.ms < 3 * CONNECT_MS, `discotrace probe took ${Math.round(probe.ms)} ms`);
  });
});
