/**
 * The DNS scenarios of the failure catalogue (packages/lab/src/scenarios/catalogue.ts), through the
 * whole local pipeline. Reference: shared/reference/autodiscover-protocol.md §2.4 (NXDOMAIN vs
 * NODATA vs SERVFAIL/timeout; the CNAME chain is recorded, the TLS name check uses the URL host;
 * SRV: lowest priority first, warn on port ≠ 443), §5.4 (credentials and hosts in another domain),
 * §8 #4, #5, #34.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CNAME_CHAIN, SRV_HOSTER, SRV_HOSTER_2, SRV_RECORDS } from '../packages/lab/src/scenarios/catalogue.ts';
import { EXAMPLE_PASSWORD, EXAMPLE_USER } from '../packages/lab/src/scenarios/example.ts';
import { assertCredentialsOnlyOverTls, assertNoCredentials, assertVerdict, authorized, candidate, codes, step, story, withEntry } from './utils/catalogue-run.ts';
import { headerValue } from '@discotrace/lab';
import path from 'node:path';
import { tempDir } from './utils/lab-run.ts';
import type { PhaseTrace, RunReport } from '@discotrace/core';
import { runCli } from './utils/cli.ts';

const DNS_CODES = ['DNS_NXDOMAIN', 'DNS_NODATA', 'DNS_SERVFAIL', 'DNS_REFUSED', 'DNS_TIMEOUT', 'DNS_ERROR'];

describe('catalogue: DNS (§2.4)', () => {
  it('§2.4 / §8 #4: SERVFAIL on autodiscover.example.com is a DNS-infrastructure failure (DNS_SERVFAIL), not "does not exist"; it leads over the web site\'s 404', async () => {
    await withEntry('dns-servfail', (run) => {
      assertVerdict(run, 'not-found', 'DNS_SERVFAIL');
      const resolve = step(run, 'autodiscover-https', 'dns:resolve');
      assert.equal(resolve.status, 'fail');
      assert.equal(resolve.data.outcome, 'servfail');
      assert.match(run.report.verdict.cause!.title, /autodiscover\.example\.com/);
      assert.match(run.report.verdict.cause!.fix, /DNSSEC|authoritative/);
      // The port-80 method depends on the same name and says the same, never NXDOMAIN.
      assert.equal(step(run, 'http-redirect', 'dns:resolve').data.outcome, 'servfail');
      for (const source of ['autodiscover-https', 'http-redirect']) {
        assert.deepEqual(codes(candidate(run, source).steps.flatMap((s) => s.findings)), ['DNS_SERVFAIL'], `${source}: SERVFAIL only, never NXDOMAIN\n${story(run)}`);
      }
      assert.ok(run.lab.dnsQueries.some((q) => q.name.toLowerCase() === 'autodiscover.example.com' && q.outcome === 'SERVFAIL'));
      assertNoCredentials(run);
    });
  });

  it('§2.4 / §8 #4: no DNS answer for autodiscover.example.com (timeout) → DNS_TIMEOUT, within the short DNS timeout', async () => {
    await withEntry('dns-timeout', (run, entry) => {
      assertVerdict(run, 'not-found', 'DNS_TIMEOUT');
      const resolve = step(run, 'autodiscover-https', 'dns:resolve');
      assert.equal(resolve.data.outcome, 'timeout');
      assert.ok(run.lab.dnsQueries.some((q) => q.name.toLowerCase() === 'autodiscover.example.com' && q.outcome === 'timeout'));
      const dnsMs = entry.options!.timeouts!.dnsMs!;
      const phaseMs = run.phases[0]!.durationMs!;
      assert.ok(phaseMs < dnsMs * 4, `phase took ${phaseMs} ms with a ${dnsMs} ms DNS timeout`);
    });
  });

  it('§2.4 / §8 #5: a chain of three CNAMEs is recorded in data.cname and shown; the name check uses the URL host, which the certificate names → found', async () => {
    await withEntry('dns-cname-chain', (run) => {
      assertVerdict(run, 'found');
      const resolve = step(run, 'autodiscover-https', 'dns:resolve');
      assert.deepEqual(resolve.data.cname, CNAME_CHAIN);
      assert.match(resolve.summary, new RegExp(`via CNAME ${CNAME_CHAIN.join(' → ').replace(/\./g, '\\.')}`));
      const name = step(run, 'autodiscover-https', 'tls:cert-name');
      assert.equal(name.data.host, 'autodiscover.example.com', 'checked against the URL host, not the CNAME target');
      assert.equal(name.data.matchedBy, 'SAN autodiscover.example.com');
      const posts = run.lab.requests.filter((r) => r.method === 'POST' && r.endpoint === 'autodiscover.example.com:443');
      assert.ok(posts.length > 0 && posts.every((r) => r.sni === 'autodiscover.example.com' && headerValue(r, 'host') === 'autodiscover.example.com'), 'SNI and Host are the URL host');
      assert.equal(run.phases[0]!.outcome?.kind === 'settings' && run.phases[0]!.outcome.url, 'https://autodiscover.example.com/Autodiscover/Autodiscover.xml');
    });
  });

  it('§2.4 / §7.1: through the same CNAME chain, a certificate naming only the final target (mail.example.com) is a mismatch for autodiscover.example.com → CERT_NAME_MISMATCH; no credentials', async () => {
    await withEntry('dns-cname-chain-cert-for-target', (run) => {
      assertVerdict(run, 'not-found', 'CERT_NAME_MISMATCH');
      assert.deepEqual(step(run, 'autodiscover-https', 'dns:resolve').data.cname, CNAME_CHAIN);
      const name = step(run, 'autodiscover-https', 'tls:cert-name');
      assert.equal(name.status, 'fail');
      assert.deepEqual([name.data.host, name.data.dnsNames], ['autodiscover.example.com', ['mail.example.com']]);
      assertNoCredentials(run);
    });
  });

  it('§2.4: a wildcard record answering for autodiscover.example.com with the web host is not a DNS failure — the verdict names the endpoint (404), never DNS', async () => {
    await withEntry('dns-wildcard-to-web', (run) => {
      assertVerdict(run, 'not-found', 'POST_NOT_FOUND');
      const v = run.report.verdict;
      assert.deepEqual([v.cause!, ...v.others].filter((f) => DNS_CODES.includes(f.code)).map((f) => f.title), [], 'DNS is not blamed');
      const resolve = step(run, 'autodiscover-https', 'dns:resolve');
      assert.equal(resolve.status, 'pass');
      assert.deepEqual(resolve.data.a, ['127.0.0.10'], 'the wildcard answered with the web host');
      assert.ok(step(run, 'autodiscover-https', 'http:post').findings.some((f) => f.code === 'POST_NOT_FOUND'), story(run));
      // The bare domain being the web site is normal (§8 #1); what fails is autodiscover.example.com,
      // and the one-line verdict has to say which host answered 404.
      assert.match(v.headline, /autodiscover\.example\.com/, `the verdict names the host that answered 404: ${v.headline}`);
      assert.ok(run.lab.dnsQueries.some((q) => q.name.toLowerCase() === 'autodiscover.example.com' && q.type === 'A' && q.outcome === 'NOERROR' && q.answers > 0));
      assertNoCredentials(run);
    });
  });

  it('§2.4 / §8 #34: SRV with several priorities, weights and ports — the lowest priority number wins (RFC 2782), port 8443 is flagged, and the chosen target in another domain gets no credentials (AUTH_WITHHELD_HOST)', async () => {
    await withEntry('dns-srv-priorities', (run) => {
      assertVerdict(run, 'not-found', 'AUTH_WITHHELD_HOST');
      const srv = step(run, 'srv', 'dns:srv');
      const records = srv.data.records as typeof SRV_RECORDS;
      assert.deepEqual(records.map((r) => `${r.priority}/${r.weight}/${r.port}/${r.target}`).sort(), SRV_RECORDS.map((r) => `${r.priority}/${r.weight}/${r.port}/${r.target}`).sort(), 'every record is listed');
      const chosen = srv.data.chosen as (typeof SRV_RECORDS)[number];
      assert.equal(chosen.priority, 10, `lowest priority number wins, not the highest weight (20/100): ${JSON.stringify(chosen)}`);
      assert.equal(chosen.port, 443);
      assert.ok([SRV_HOSTER, SRV_HOSTER_2].includes(chosen.target), chosen.target);
      const port = srv.findings.find((f) => f.code === 'SRV_PORT_NOT_443');
      assert.ok(port, story(run));
      assert.match(port.title, /legacy\.example\.com:8443/);
      // The target's certificate is checked against the target host (not the mail domain) and passes.
      const srvCandidate = candidate(run, 'srv');
      const name = srvCandidate.steps.find((s) => s.kind === 'tls:cert-name')!;
      assert.deepEqual([name.data.host, name.status], [chosen.target, 'pass']);
      const cause = run.report.verdict.cause!;
      assert.equal(cause.evidence?.host, chosen.target);
      assert.match(cause.fix, new RegExp(`--allow-host ${chosen.target.replace(/\./g, '\\.')}`));
      assertNoCredentials(run);
      // The less preferred targets were never contacted.
      assert.deepEqual(run.lab.requests.filter((r) => r.host === 'autodiscover-backup.example.com' || r.host === 'legacy.example.com').map((r) => r.host), []);
    });
  });

  it('§5.4 / §8 #34: the same SRV records with the hoster allowed (credentialHosts, Outlook\'s "Allow") → found at the priority-10 target, credentials only there over TLS, port 8443 still a warning', async () => {
    await withEntry('dns-srv-priorities', (run) => {
      assertVerdict(run, 'found');
      const chosen = step(run, 'srv', 'dns:srv').data.chosen as (typeof SRV_RECORDS)[number];
      assert.equal(run.phases[0]!.outcome?.kind === 'settings' && run.phases[0]!.outcome.url, `https://${chosen.target}/Autodiscover/Autodiscover.xml`);
      assert.equal(candidate(run, 'srv').status, 'settings');
      assert.ok(codes(run.report.verdict.others).includes('SRV_PORT_NOT_443'), story(run));
      const signedIn = run.lab.requests.filter(authorized);
      assert.ok(signedIn.length > 0);
      assert.ok(signedIn.every((r) => r.host === chosen.target && r.tls && r.method === 'POST'), signedIn.map((r) => r.host).join());
      assert.ok(signedIn.every((r) => Buffer.from(headerValue(r, 'authorization')!.slice(6), 'base64').toString() === `${EXAMPLE_USER}:${EXAMPLE_PASSWORD}`));
      assertCredentialsOnlyOverTls(run);
    }, { credentialHosts: [SRV_HOSTER, SRV_HOSTER_2] });
  });
});

describe('DNS: the resolver itself cannot be reached', () => {
  it('a --dns server that refuses the connection is the cause, named as the resolver (DNS_SERVER_UNREACHABLE), not the domain', async () => {
    // Port 9 on loopback: nothing listens, so the query is refused at once (no lab, no timeout).
    const { dir, cleanup } = await tempDir();
    const r = await runCli(['probe', 'alice@contoso.com', '--no-auth', '--no-v2', '--json', '--dns', '127.0.0.1:9', '--store', path.join(dir, 'store')]).finally(cleanup);
    assert.equal(r.code, 1, r.stderr);
    const { report, phases } = JSON.parse(r.stdout) as { report: RunReport; phases: PhaseTrace[] };
    assert.equal(report.verdict.cause?.code, 'DNS_SERVER_UNREACHABLE');
    assert.match(report.verdict.cause!.title, /DNS server 127\.0\.0\.1:9 refused the connection/);
    assert.match(report.verdict.fix!, /--dns/);
    const outcomes = phases[0]!.candidates.flatMap((c) => c.steps).filter((s) => s.kind === 'dns:resolve' || s.kind === 'dns:srv').map((s) => s.data.outcome);
    assert.ok(outcomes.length >= 3 && outcomes.every((o) => o === 'unreachable'), String(outcomes));
  });
});

describe('a Microsoft service host that does not resolve', () => {
  it('is the probe resolver\'s problem, not a record to create (the fix says so)', async () => {
    const { runScenario } = await import('./utils/scenario-run.ts');
    // This lab publishes no outlook.office365.com: the v2 cross-check's lookup gets NXDOMAIN.
    const run = await runScenario('redirect-port80-to-owa');
    try {
      const nx = run.phases.flatMap((p) => p.candidates.flatMap((c) => c.steps.flatMap((s) => s.findings))).find((f) => f.code === 'DNS_NXDOMAIN' && f.title.startsWith('outlook.office365.com'));
      assert.ok(nx, story(run));
      assert.match(nx.fix, /outlook\.office365\.com is Microsoft's name .*Check that resolver/);
      assert.doesNotMatch(nx.fix, /Create the record/);
      // A customer's own name keeps the usual advice.
      assert.match((await import('@discotrace/core')).FINDINGS.DNS_NXDOMAIN.fix, /Create the record/);
    } finally {
      await run.close();
    }
  });
});
