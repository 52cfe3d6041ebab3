import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, SEED_ROUTING_ADDRESS, headerValue } from '@discotrace/lab';
import { runAgainstLab, type LabRun } from './utils/lab-run.ts';

// The seed scenario end to end through the real state machine (aws-local-stepfunctions) and the
// real handlers, against the lab's DNS, TLS and HTTP servers on loopback.
describe('seed: on-prem 401 → Basic → redirectAddr → tenant routing domain → port-80 302 → EXO Bearer → settings', () => {
  let run: LabRun & { close: () => Promise<void> };
  before(async () => {
    run = await runAgainstLab('seed', SEED_ADDRESS, { password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN });
  });
  after(() => run?.close());

  it('ends with a success verdict and the Exchange Online settings', () => {
    const v = run.report.verdict;
    assert.equal(v.status, 'found');
    assert.equal(v.settings?.ewsUrl, 'https://outlook.office365.com/EWS/Exchange.asmx');
    assert.equal(v.settings?.microsoftOnline, true);
    assert.equal(v.settings?.autoDiscoverSmtpAddress, SEED_ADDRESS);
    assert.match(v.settings?.mapiMailStoreUrl ?? '', /^https:\/\/outlook\.office365\.com\/mapi\/emsmdb\/\?MailboxId=/);
    assert.match(v.headline, /works for alice@contoso\.com/);
    // BUG-05: the root domain's web certificate is a warning in a successful run, never the verdict.
    assert.deepEqual(v.others.map((f) => f.code), ['CERT_NAME_MISMATCH']);
    assert.equal(v.cause, undefined);
  });

  it('runs two phases: on-premises for the typed address, Exchange Online for the tenant routing address', () => {
    assert.deepEqual(run.phases.map((p) => [p.index, p.role, p.address, p.state, p.outcome?.kind]), [
      [0, 'onprem', SEED_ADDRESS, 'complete', 'redirectAddr'],
      [1, 'cloud', SEED_ROUTING_ADDRESS, 'complete', 'settings'],
    ]);
    assert.deepEqual(run.report.phases.map((p) => [p.index, p.state, p.key]), [
      [0, 'complete', `runs/${run.runId}/phase-0.json`],
      [1, 'complete', `runs/${run.runId}/phase-1.json`],
    ]);
  });

  it('records the redirect chain: redirectAddr then the port-80 HTTP redirect, one shared hop budget', () => {
    assert.deepEqual(run.report.chain.map((h) => [h.kind, h.from, h.to, h.hop, h.accepted]), [
      ['redirectAddr', SEED_ADDRESS, SEED_ROUTING_ADDRESS, 1, true],
      ['http', 'http://autodiscover.contoso.mail.onmicrosoft.com/Autodiscover/Autodiscover.xml', 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml', 2, true],
    ]);
  });

  it('keeps the steps in canonical order with their statuses (expected failures marked)', () => {
    const classic = (c: { source: string }) => c.source !== 'autodiscover-v2' && c.source !== 'returned-url';
    const rows = run.phases.map((p) => p.candidates.filter(classic).flatMap((c) => c.steps.map((s) => [c.source, s.kind, s.status, s.expected].join(' '))));
    assert.deepEqual(rows[0], [
      'scp scp:lookup skip true',
      'root-https dns:resolve pass false',
      'root-https tcp:connect pass false',
      'root-https tls:handshake pass false',
      'root-https tls:cert-name warn false',
      'root-https tls:cert-trust pass false',
      'root-https tls:cert-dates pass false',
      'root-https tls:client-cert pass false',
      'root-https http:post fail true',
      // BUG-14 check: the lowercase spelling is tried after a 404 on Outlook's /Autodiscover/Autodiscover.xml.
      'root-https http:post info false',
      'autodiscover-https dns:resolve pass false',
      'autodiscover-https tcp:connect pass false',
      'autodiscover-https tls:handshake pass false',
      'autodiscover-https tls:cert-name pass false',
      'autodiscover-https tls:cert-trust pass false',
      'autodiscover-https tls:cert-dates pass false',
      'autodiscover-https tls:client-cert pass false',
      'autodiscover-https http:post pass false',
      'autodiscover-https http:post pass false',
      'autodiscover-https autodiscover:response pass false',
      'autodiscover-https walk:redirect pass false',
      'http-redirect dns:resolve pass false',
      'http-redirect tcp:connect fail true',
      'srv dns:srv info true',
    ]);
    assert.deepEqual(rows[1], [
      'scp scp:lookup skip true',
      // The tenant routing name does not resolve and its Autodiscover host is closed on 443: normal in hybrid.
      'root-https dns:resolve fail true',
      'autodiscover-https dns:resolve pass false',
      'autodiscover-https tcp:connect fail true',
      'http-redirect dns:resolve pass false',
      'http-redirect tcp:connect pass false',
      'http-redirect http:get pass false',
      'http-redirect walk:redirect pass false',
      'redirect dns:resolve pass false',
      'redirect tcp:connect pass false',
      'redirect tls:handshake pass false',
      'redirect tls:cert-name pass false',
      'redirect tls:cert-trust pass false',
      'redirect tls:cert-dates pass false',
      'redirect tls:client-cert pass false',
      'redirect http:post pass false',
      'redirect http:post pass false',
      'redirect autodiscover:response pass false',
      'srv dns:srv info true',
    ]);
    const total = rows[0]!.length + rows[1]!.length;
    assert.ok(total >= 30 && total <= 50, `about 30 steps, got ${total}`);
  });

  it('cross-checks with Autodiscover v2 (mailbox in Exchange Online) and agrees with the classic walk', () => {
    const v2 = run.phases[0]!.candidates.find((c) => c.source === 'autodiscover-v2')!;
    assert.equal(v2.status, 'answered');
    const get = v2.steps.find((s) => s.kind === 'http:get')!;
    assert.deepEqual(get.data.v2, { kind: 'url', url: 'https://outlook.office365.com/autodiscover/autodiscover.xml', protocol: 'AutodiscoverV1' });
    assert.ok(!run.report.verdict.others.some((f) => f.code === 'V2_DISAGREES'));
  });

  it('follows the returned EWS, OAB and MAPI URLs: one connection to their host, 401 is healthy', () => {
    const returned = run.phases[1]!.candidates.filter((c) => c.source === 'returned-url');
    assert.equal(returned.length, 1);
    const gets = returned[0]!.steps.filter((s) => s.kind === 'http:get');
    assert.deepEqual(gets.map((s) => [s.title.split(' ')[1], s.status, (s.data.exchange as { status: number }).status]), [['EWS', 'pass', 401], ['OAB', 'pass', 401], ['MAPI', 'pass', 401], ['MAPI', 'pass', 401]]);
  });

  it('says which clients will configure themselves', () => {
    assert.deepEqual(run.report.clients.map((c) => [c.client.split(' ')[0], c.verdict]), [['Outlook', 'yes'], ['New', 'yes'], ['Apple', 'unknown'], ['Thunderbird', 'yes'], ['EWS', 'yes']]);
  });

  it('shows the CNAME chain but checks the certificate against the URL host', () => {
    const ad = run.phases[0]!.candidates.find((c) => c.source === 'autodiscover-https')!;
    const dns = ad.steps.find((s) => s.kind === 'dns:resolve')!;
    assert.deepEqual(dns.data.cname, ['mail.contoso.com']);
    const name = ad.steps.find((s) => s.kind === 'tls:cert-name')!;
    assert.equal(name.data.host, 'autodiscover.contoso.com');
    const root = run.phases[0]!.candidates.find((c) => c.source === 'root-https')!;
    const mismatch = root.steps.find((s) => s.kind === 'tls:cert-name')!;
    assert.deepEqual(mismatch.data.dnsNames, ['www.contoso.com']);
    assert.equal(mismatch.findings[0]!.code, 'CERT_NAME_MISMATCH');
  });

  it('captures the anonymous 401 schemes and signs in with the right method per host', () => {
    const posts = run.phases.flatMap((p) => p.candidates.flatMap((c) => c.steps.filter((s) => s.kind === 'http:post')));
    const summaries = posts.map((s) => s.summary);
    assert.ok(summaries.some((s) => /401 challenge: Negotiate, NTLM, Basic/.test(s)), summaries.join('\n'));
    assert.ok(summaries.some((s) => /401 challenge: Bearer, Basic/.test(s)), summaries.join('\n'));
    const auths = posts.map((s) => (s.data.exchange as { auth: string; url: string })).filter((e) => e.auth !== 'none').map((e) => `${e.auth} ${new URL(e.url).host}`);
    assert.deepEqual(auths, ['basic autodiscover.contoso.com', 'bearer autodiscover-s.outlook.com']);
  });

  it('never sends credentials over http, and only to the hosts that asked', () => {
    for (const r of run.lab.requests) {
      const auth = headerValue(r, 'authorization');
      if (!r.tls) assert.equal(auth, undefined, `credentials sent over http to ${r.host}`);
      if (auth) assert.ok(['autodiscover.contoso.com', 'autodiscover-s.outlook.com'].includes(r.host), `credentials sent to ${r.host}`);
    }
    // The web host with the mismatched certificate got the anonymous POST only.
    assert.ok(run.lab.requests.some((r) => r.host === 'contoso.com'));
    assert.ok(run.lab.requests.filter((r) => r.host === 'contoso.com').every((r) => headerValue(r, 'authorization') === undefined));
  });

  it('uses one connection per candidate host for the certificate capture and both POSTs', () => {
    const count = (endpoint: string) => run.lab.connections.filter((c) => c.endpoint === endpoint).length;
    // Anonymous POST + authenticated POST (+ TLS capture) on one connection each.
    assert.equal(count('autodiscover.contoso.com:443'), 1, JSON.stringify(run.lab.connections));
    assert.equal(count('autodiscover-s.outlook.com:443'), 1, JSON.stringify(run.lab.connections));
    const onprem = run.lab.requests.filter((r) => r.host === 'autodiscover.contoso.com');
    assert.equal(onprem.length, 2);
  });

  it('writes the report and both phase traces to the store', async () => {
    const report = JSON.parse(await readFile(path.join(run.storeDir, 'runs', run.runId, 'report.json'), 'utf8'));
    assert.equal(report.verdict.status, 'found');
    for (const i of [0, 1]) {
      const phase = JSON.parse(await readFile(path.join(run.storeDir, 'runs', run.runId, `phase-${i}.json`), 'utf8'));
      assert.equal(phase.state, 'complete');
    }
    const index = await run.store.listRuns({ domain: 'contoso.com' });
    assert.equal(index[0]?.runId, run.runId);
  });

  it('streams live events in canonical order per candidate', () => {
    const firstPhaseStarts = run.events.filter((e) => e.type === 'candidate:start' && e.phase === 0).map((e) => (e as { path: number[] }).path.join('.'));
    assert.deepEqual(firstPhaseStarts.slice(0, 5).sort(), ['0', '1', '2', '3', '4']);
    assert.equal(run.events.filter((e) => e.type === 'phase:end').length, 2);
  });
});
