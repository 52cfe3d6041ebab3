/**
 * The real path: `discotrace probe` exactly as a user runs it — no --dns, no --connect-to, the
 * system resolver (c-ares reading /etc/resolv.conf) and the real ports 443/80 — against the seed
 * lab running on the scenario's own addresses inside a network namespace this test creates.
 * Needs root and iproute2 (`ip`); skipped with the reason otherwise. Nothing outside the
 * namespace's loopback is ever contacted: the namespace has no other interface.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, startLab } from '@discotrace/lab';
import { CLI, cleanEnv, NODE, ROOT, run as runFor, SERVE, TestNamespace, waitReady as waitReadyFor, whyNotNetns as whyNot, type LabReady as Ready, type Ran } from './utils/netns.ts';

const run = (command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = RUN_TIMEOUT_MS) => runFor(command, args, env, timeoutMs);
const waitReady = (child: import('node:child_process').ChildProcess) => waitReadyFor(child, READY_TIMEOUT_MS);

const DNS_ADDRESS = '127.0.0.53';
const EWS = 'https://outlook.office365.com/EWS/Exchange.asmx';
const READY_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = 15_000;

interface StepLike {
  kind: string;
  data: Record<string, unknown>;
}
interface PhaseLike {
  candidates: Array<{ steps: StepLike[] }>;
}

const skipReason = whyNot();

/** An `it` that skips with the reason when this machine cannot run namespaces (CI runs as root: it runs). */
function realIt(name: string, fn: () => void | Promise<void>): void {
  it(name, async (t) => {
    if (skipReason) return t.skip(skipReason);
    await fn();
  });
}

describe('discotrace probe on the real path: system resolver, real ports, no lab knowledge', () => {
  const ns = new TestNamespace('dt', true);
  let ready: Ready;
  let probe: Ran;
  let pem: string;

  before(async () => {
    if (skipReason) return;
    ns.open();
    const netns = ns.name;
    // `ip netns exec` bind-mounts this over /etc/resolv.conf: the system resolver is the lab's DNS.
    writeFileSync(path.join(ns.etcDir, 'resolv.conf'), `nameserver ${DNS_ADDRESS}\n`);

    const lab = (ns.lab = spawn('ip', ['netns', 'exec', netns, NODE, SERVE, 'seed', '--real-ports'], {
      cwd: ROOT,
      env: cleanEnv({ DISCOTRACE_LAB_NETNS: netns }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    ready = await waitReady(lab);
    pem = path.join(ns.tmp, 'lab-root.pem');
    writeFileSync(pem, ready.caCertificates.join('\n'));

    probe = await run(
      'ip',
      ['netns', 'exec', netns, NODE, CLI, 'probe', SEED_ADDRESS, '--ca-file', pem, '--password-env', 'DT_PASSWORD', '--token-env', 'DT_TOKEN', '--json', '--store', path.join(ns.tmp, 'store')],
      cleanEnv({ DT_PASSWORD: SEED_PASSWORD, DT_TOKEN: SEED_BEARER_TOKEN }),
    );
  });

  after(async () => {
    if (!skipReason) await ns.close();
  });

  realIt('the lab runs on the real ports: DNS on 127.0.0.53:53, no connect-to map', () => {
    assert.equal(ready.ready, true);
    assert.equal(ready.scenario, 'seed');
    assert.equal(ready.realPorts, true);
    assert.equal(ready.address, SEED_ADDRESS);
    assert.equal(ready.dnsServer, `${DNS_ADDRESS}:53`);
    assert.deepEqual(ready.connectTo, {});
    assert.equal(ready.caCertificates.length, 1);
    assert.match(ready.caCertificates[0]!, /^-----BEGIN CERTIFICATE-----/);
  });

  realIt('exits 0 with the Exchange Online settings', () => {
    assert.equal(probe.code, 0, `exit ${probe.code} (${probe.signal}); stderr: ${probe.stderr}`);
    const { report } = JSON.parse(probe.stdout);
    assert.equal(report.verdict.status, 'found');
    assert.equal(report.verdict.settings.ewsUrl, EWS);
    assert.equal(report.verdict.settings.autoDiscoverSmtpAddress, SEED_ADDRESS);
  });

  realIt('resolved through the system resolver from resolv.conf (servers = [127.0.0.53])', () => {
    const { phases } = JSON.parse(probe.stdout) as { phases: PhaseLike[] };
    const dnsSteps = phases.flatMap((p) => p.candidates.flatMap((c) => c.steps)).filter((s) => s.kind.startsWith('dns:'));
    assert.ok(dnsSteps.length >= 6, `only ${dnsSteps.length} dns steps`);
    for (const step of dnsSteps) assert.deepEqual(step.data.servers, [DNS_ADDRESS], `${step.kind} ${JSON.stringify(step.data)}`);
  });

  realIt('connected to the addresses DNS gave, on ports 443/80, with no connect-to override', () => {
    const { phases } = JSON.parse(probe.stdout) as { phases: PhaseLike[] };
    const tcpSteps = phases.flatMap((p) => p.candidates.flatMap((c) => c.steps)).filter((s) => s.kind === 'tcp:connect');
    const seen: string[] = [];
    for (const step of tcpSteps) {
      const d = step.data as { host: string; port: number; outcome: string; override?: boolean; targetPort?: number; attempts: Array<{ address: string; port: number; outcome: string }> };
      assert.ok([443, 80].includes(d.port), JSON.stringify(d));
      if (d.outcome === 'open') {
        assert.equal(d.override, false, JSON.stringify(d));
        assert.equal(d.targetPort, d.port, JSON.stringify(d));
      } else {
        assert.notEqual(d.override, true, JSON.stringify(d));
      }
      for (const a of d.attempts) {
        assert.equal(a.port, d.port, JSON.stringify(d));
        seen.push(`${d.host}:${d.port} → ${a.address}:${a.port} ${a.outcome}`);
      }
    }
    assert.deepEqual(seen.sort(), [
      'autodiscover-s.outlook.com:443 → 127.0.0.40:443 open',
      'autodiscover.contoso.com:443 → 127.0.0.20:443 open',
      // closed endpoints: nothing listens there, the namespace's loopback refuses.
      'autodiscover.contoso.com:80 → 127.0.0.20:80 refused',
      'autodiscover.contoso.mail.onmicrosoft.com:443 → 127.0.0.30:443 refused',
      'autodiscover.contoso.mail.onmicrosoft.com:80 → 127.0.0.30:80 open',
      'contoso.com:443 → 127.0.0.10:443 open',
      // The v2 cross-check (first phase) and the returned EWS/OAB/MAPI URLs (last phase).
      'outlook.office365.com:443 → 127.0.0.50:443 open',
      'outlook.office365.com:443 → 127.0.0.50:443 open',
    ]);
  });

  realIt('keeps the credentials out of the output and the stored traces', () => {
    const files = readdirSync(path.join(ns.tmp, 'store'), { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(ns.tmp, 'store', f))
      .filter((f) => statSync(f).isFile());
    assert.ok(files.length >= 3, `stored: ${files.join(', ')}`);
    for (const text of [probe.stdout, probe.stderr, ...files.map((f) => readFileSync(f, 'utf8'))]) {
      assert.ok(!text.includes(SEED_PASSWORD) && !text.includes(SEED_BEARER_TOKEN), 'a secret leaked');
    }
  });

  realIt('bad usage inside the namespace: exit 2, one stderr line', async () => {
    const r = await run('ip', ['netns', 'exec', ns.name, NODE, CLI, 'probe', 'bad-address'], cleanEnv({}));
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^discotrace: .*not a usable e-mail address/);
    assert.equal(r.stdout, '');
  });

  realIt('the lab closes cleanly on SIGTERM (exit 0)', async () => {
    const exited = new Promise<number | null>((resolve) => ns.lab!.once('exit', (code) => resolve(code)));
    ns.lab!.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 5 s'), 5_000).unref())]);
    assert.equal(code, 0);
  });

  realIt('the lab refuses real ports in a process outside the namespace it is told about', async () => {
    // This test process runs in the host's namespace: naming the test namespace must not pass.
    await assert.rejects(startLab('seed', { realPorts: true, netns: ns.name }), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.code, 'LAB_REAL_PORTS_REFUSED');
      assert.match(e.message, new RegExp(`not inside network namespace "${ns.name}"`));
      return true;
    });
  });
});

describe('lab real-ports guard (no root needed)', () => {
  it('refuses without a declared namespace', async () => {
    const saved = process.env.DISCOTRACE_LAB_NETNS;
    delete process.env.DISCOTRACE_LAB_NETNS;
    try {
      await assert.rejects(startLab('seed', { realPorts: true }), (e: unknown) => {
        assert.ok(e instanceof LabError);
        assert.equal(e.code, 'LAB_REAL_PORTS_REFUSED');
        assert.match(e.message, /inside a network namespace/);
        return true;
      });
    } finally {
      if (saved !== undefined) process.env.DISCOTRACE_LAB_NETNS = saved;
    }
  });

  it('refuses a namespace that does not exist, and a non-loopback DNS address', async () => {
    await assert.rejects(startLab('seed', { realPorts: true, netns: `dt-missing-${randomBytes(4).toString('hex')}` }), { code: 'LAB_REAL_PORTS_REFUSED' });
    await assert.rejects(startLab('seed', { realPorts: true, dnsAddress: '10.0.0.53' }), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.code, 'LAB_REAL_PORTS_REFUSED');
      assert.match(e.message, /dnsAddress "10\.0\.0\.53" must be a loopback address/);
      return true;
    });
    await assert.rejects(startLab('seed', { dnsAddress: DNS_ADDRESS }), /only apply with realPorts/);
  });
});
