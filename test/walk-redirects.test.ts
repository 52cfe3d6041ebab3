import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newRunId, resolveOptions, runPhase, type PhaseTrace } from '@discotrace/core';
import { headerValue, startLab, type AutodiscoverAnswer, type EndpointSpec, type RunningLab, type Scenario } from '@discotrace/lab';
import { runAgainstLab } from './utils/lab-run.ts';

// The walk's redirect rules (reference §4): redirectUrl and 3xx on the POST re-POST the same request,
// every URL redirect is validated, one budget of 10 hops covers every kind, loops stop the walk.

const PW = 'Walk-Passw0rd!';
const CHALLENGES = ['Negotiate', 'NTLM', 'Basic realm="lab"'];
const HEADERS = { 'X-FEServer': 'EX01', Server: 'Microsoft-IIS/10.0' };

function exchange(host: string, answers: Record<string, AutodiscoverAnswer>, user: string, path?: string) {
  return { kind: 'exchange' as const, headers: HEADERS, challenges: CHALLENGES, basic: [{ username: user, password: PW }], answers, ...(path ? { path } : {}) };
}

/** example.com with autodiscover.example.com on-prem (127.0.0.20) and more Exchange hosts as given. */
function scenario(name: string, user: string, endpoints: EndpointSpec[], dns: Scenario['dns'] = {}): Scenario {
  return {
    name,
    description: `walk: ${name}`,
    users: [{ address: user, username: user, password: PW }],
    dns: {
      'example.com': { behaviour: 'nxdomain' },
      'autodiscover.example.com': { A: ['127.0.0.20'] },
      '_autodiscover._tcp.example.com': { behaviour: 'nxdomain' },
      ...dns,
    },
    endpoints: [{ host: 'autodiscover.example.com', port: 80, behaviour: { kind: 'closed' } }, ...endpoints],
  };
}

async function phase(s: Scenario, address: string, extra: { maxRedirects?: number; credentialHosts?: string[] } = {}): Promise<{ trace: PhaseTrace; lab: RunningLab }> {
  const lab = await startLab(s);
  const options = resolveOptions({ dnsServers: [lab.dnsServer], connectTo: lab.connectTo, trustedCaCertificates: lab.caCertificates, ...extra });
  try {
    const trace = await runPhase({ runId: newRunId(), index: 0, role: 'onprem', address, hops: 0, visitedAddresses: [], visitedUrls: [] }, { options, credentials: { password: PW } });
    return { trace, lab };
  } finally {
    await lab.close();
  }
}

const codes = (t: PhaseTrace) => t.candidates.flatMap((c) => c.steps.flatMap((s) => s.findings.map((f) => f.code)));

/** Every refusal is worded once: "Redirect from X to Y refused: <why>", never "… refused: redirect to Y refused: …". */
function assertRefusalsSaidOnce(t: PhaseTrace): void {
  const texts = [
    ...t.candidates.flatMap((c) => {
      const refusals = c.steps.filter((s) => s.kind === 'walk:redirect' && s.status === 'fail');
      return refusals.length ? [c.summary, ...refusals.flatMap((s) => [s.summary, ...s.findings.map((f) => f.title)])] : [];
    }),
    ...t.redirects.filter((r) => !r.accepted).map((r) => r.reason ?? ''),
    ...(t.findings ?? []).map((f) => f.title).filter((x) => /redirect/i.test(x)),
  ];
  assert.ok(t.redirects.some((r) => !r.accepted), 'a redirect was refused');
  for (const text of texts) {
    assert.ok((text.match(/refused/gi) ?? []).length <= 1, `"refused" more than once: ${text}`);
    assert.doesNotMatch(text, /refused: redirect/i, text);
  }
}

describe('walk: URL redirects', () => {
  it('BUG-01: 302 on the authenticated POST to the same host, explicit :443 and a mailbox path → re-POST → settings', async () => {
    const user = 'sharedbox@example.com';
    const s = scenario('bug-01', user, [{
      host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] },
      behaviour: { kind: 'routes', routes: [
        { path: '/autodiscover/autodiscover.xml', behaviour: exchange('autodiscover.example.com', { [user]: { action: 'raw', status: 302, headers: { Location: 'https://autodiscover.example.com:443/Autodiscover/sharedbox/Autodiscover.xml' } } }, user) },
        { path: '/autodiscover/sharedbox/autodiscover.xml', behaviour: exchange('autodiscover.example.com', { [user]: { action: 'settings', profile: 'onprem' } }, user, '/autodiscover/sharedbox/autodiscover.xml') },
      ] },
    }]);
    const { trace, lab } = await phase(s, user);
    assert.equal(trace.outcome?.kind, 'settings', codes(trace).join());
    assert.deepEqual(trace.redirects.map((r) => [r.kind, r.to, r.hop, r.accepted]), [['http', 'https://autodiscover.example.com/Autodiscover/sharedbox/Autodiscover.xml', 1, true]]);
    const reposts = lab.requests.filter((r) => r.method === 'POST' && /sharedbox/i.test(r.path));
    assert.ok(reposts.length >= 1, 'the same body was POSTed again (not turned into a GET)');
    assert.ok(reposts.every((r) => r.body.includes('<EMailAddress>sharedbox@example.com</EMailAddress>')));
  });

  it('redirectUrl to another HTTPS host → full checks there, then the same request re-POSTed', async () => {
    const user = 'user1@example.com';
    const s = scenario('redirect-url', user, [
      { host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] }, behaviour: exchange('a', { [user]: { action: 'redirectUrl', to: 'https://pod01.example.com/autodiscover/autodiscover.xml' } }, user) },
      { host: 'pod01.example.com', port: 443, tls: { dnsNames: ['pod01.example.com'] }, behaviour: exchange('b', { [user]: { action: 'settings', profile: 'onprem' } }, user) },
    ], { 'pod01.example.com': { A: ['127.0.0.30'] } });
    const { trace } = await phase(s, user);
    assert.equal(trace.outcome?.kind, 'settings');
    const child = trace.candidates.find((c) => c.source === 'redirect')!;
    assert.equal(child.url, 'https://pod01.example.com/autodiscover/autodiscover.xml');
    assert.deepEqual(child.steps.map((x) => x.kind).slice(0, 7), ['dns:resolve', 'tcp:connect', 'tls:handshake', 'tls:cert-name', 'tls:cert-trust', 'tls:cert-dates', 'tls:client-cert']);
  });

  it('credentials are withheld from a redirect host outside the user\'s domain unless allowed (Outlook would ask)', async () => {
    const user = 'user1@example.com';
    const s = scenario('redirect-foreign', user, [
      { host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] }, behaviour: exchange('a', { [user]: { action: 'redirectUrl', to: 'https://mail.example-hoster.net/autodiscover/autodiscover.xml' } }, user) },
      { host: 'mail.example-hoster.net', port: 443, tls: { dnsNames: ['mail.example-hoster.net'] }, behaviour: exchange('b', { [user]: { action: 'settings', profile: 'onprem' } }, user) },
    ], { 'mail.example-hoster.net': { A: ['127.0.0.30'] } });
    const refused = await phase(s, user);
    assert.equal(refused.trace.outcome?.kind, 'failed');
    assert.ok(codes(refused.trace).includes('AUTH_WITHHELD_HOST'), codes(refused.trace).join());
    assert.ok(refused.lab.requests.filter((r) => r.host === 'mail.example-hoster.net').every((r) => headerValue(r, 'authorization') === undefined));
    const allowed = await phase(s, user, { credentialHosts: ['mail.example-hoster.net'] });
    assert.equal(allowed.trace.outcome?.kind, 'settings');
  });

  it('redirectUrl to http:// is refused and no credentials go there (REDIRECT_NOT_HTTPS)', async () => {
    const user = 'user1@example.com';
    const s = scenario('redirect-http', user, [
      { host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] }, behaviour: exchange('a', { [user]: { action: 'redirectUrl', to: 'http://pod01.example.com/autodiscover/autodiscover.xml' } }, user) },
      { host: 'pod01.example.com', port: 80, behaviour: { kind: 'static', status: 200, body: 'should never be asked' } },
    ], { 'pod01.example.com': { A: ['127.0.0.30'] } });
    const { trace, lab } = await phase(s, user);
    assert.equal(trace.outcome?.kind, 'failed');
    assert.ok(codes(trace).includes('REDIRECT_NOT_HTTPS'));
    assertRefusalsSaidOnce(trace);
    const titles = trace.candidates.flatMap((c) => c.steps.flatMap((x) => x.findings)).filter((f) => f.code === 'REDIRECT_NOT_HTTPS').map((f) => f.title);
    assert.ok(titles.length > 0 && titles.every((t) => /^Redirect from https:\/\/autodiscover\.example\.com\/\S+ to http:\/\/pod01\.example\.com\/autodiscover\/autodiscover\.xml refused: not https \(credentials are never sent over http\)$/.test(t)), titles.join('\n'));
    assert.equal(lab.requests.filter((r) => r.host === 'pod01.example.com').length, 0);
  });

  it('a URL loop is detected (REDIRECT_LOOP) and the hop budget is shared (REDIRECT_LIMIT at 1)', async () => {
    const user = 'user1@example.com';
    const loop = scenario('loop', user, [
      { host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] }, behaviour: exchange('a', { [user]: { action: 'redirectUrl', to: 'https://autodiscover.example.com:443/autodiscover/autodiscover.xml' } }, user) },
    ]);
    const a = await phase(loop, user);
    assert.ok(codes(a.trace).includes('REDIRECT_LOOP'), codes(a.trace).join());
    assertRefusalsSaidOnce(a.trace);
    const chain = scenario('limit', user, [
      { host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] }, behaviour: exchange('a', { [user]: { action: 'redirectUrl', to: 'https://pod01.example.com/autodiscover/autodiscover.xml' } }, user) },
      { host: 'pod01.example.com', port: 443, tls: { dnsNames: ['pod01.example.com'] }, behaviour: exchange('b', { [user]: { action: 'redirectUrl', to: 'https://pod02.example.com/autodiscover/autodiscover.xml' } }, user) },
    ], { 'pod01.example.com': { A: ['127.0.0.30'] } });
    const b = await phase(chain, user, { maxRedirects: 1 });
    assert.ok(codes(b.trace).includes('REDIRECT_LIMIT'), codes(b.trace).join());
    assert.deepEqual(b.trace.redirects.map((r) => r.accepted), [true, false]);
    assertRefusalsSaidOnce(b.trace);
  });
});

describe('walk: address redirects across phases', () => {
  it('an address loop through the state machine stops with REDIRECT_ADDR_LOOP as the cause', async () => {
    const user = 'user1@example.com';
    const tenant = 'user1@example.mail.onmicrosoft.com';
    const s = scenario('addr-loop', user, [
      { host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'] }, behaviour: exchange('a', { [user]: { action: 'redirectAddr', to: tenant } }, user) },
      { host: 'autodiscover.example.mail.onmicrosoft.com', port: 443, tls: { dnsNames: ['autodiscover.example.mail.onmicrosoft.com'] }, behaviour: { kind: 'exchange', headers: HEADERS, challenges: CHALLENGES, basic: [{ username: user, password: PW }], answers: { [tenant]: { action: 'redirectAddr', to: 'USER1@Example.com' } } } },
    ], { 'example.mail.onmicrosoft.com': { behaviour: 'nxdomain' }, 'autodiscover.example.mail.onmicrosoft.com': { A: ['127.0.0.31'] }, '_autodiscover._tcp.example.mail.onmicrosoft.com': { behaviour: 'nxdomain' } });
    const run = await runAgainstLab(s, user, { password: PW });
    try {
      assert.equal(run.report.verdict.status, 'not-found');
      assert.equal(run.report.verdict.cause?.code, 'REDIRECT_ADDR_LOOP');
      assert.equal(run.report.verdict.cause?.title, `redirectAddr ${tenant} → USER1@Example.com refused: loop: USER1@example.com was already tried`);
      assert.deepEqual(run.report.chain.map((h) => [h.kind, h.to, h.accepted]), [['redirectAddr', tenant, true], ['redirectAddr', 'USER1@Example.com', false]]);
      // Credentials went only over TLS.
      assert.ok(run.lab.requests.filter((r) => headerValue(r, 'authorization')).every((r) => r.tls));
    } finally {
      await run.close();
    }
  });
});

describe('walk: credential scope is the user\'s domain itself, not "the last two labels"', () => {
  it('contoso.co.uk → a redirect to evil.co.uk gets no credentials (AUTH_WITHHELD_HOST)', async () => {
    const user = 'alice@contoso.co.uk';
    const s: Scenario = {
      name: 'co-uk-scope',
      description: 'a redirect into another .co.uk domain',
      users: [{ address: user, username: user, password: PW }],
      dns: {
        'contoso.co.uk': { behaviour: 'nxdomain' },
        'autodiscover.contoso.co.uk': { A: ['127.0.0.20'] },
        '_autodiscover._tcp.contoso.co.uk': { behaviour: 'nxdomain' },
        'autodiscover.evil.co.uk': { A: ['127.0.0.30'] },
      },
      endpoints: [
        { host: 'autodiscover.contoso.co.uk', port: 443, behaviour: { kind: 'closed' } },
        { host: 'autodiscover.contoso.co.uk', port: 80, behaviour: { kind: 'redirect', status: 302, location: 'https://autodiscover.evil.co.uk/autodiscover/autodiscover.xml' } },
        { host: 'autodiscover.evil.co.uk', port: 443, tls: { dnsNames: ['autodiscover.evil.co.uk'] }, behaviour: exchange('evil', { [user]: { action: 'settings', profile: 'onprem' } }, user) },
      ],
    };
    const { trace, lab } = await phase(s, user);
    assert.equal(trace.outcome?.kind, 'failed');
    assert.ok(codes(trace).includes('AUTH_WITHHELD_HOST'), codes(trace).join());
    assert.ok(lab.requests.every((r) => headerValue(r, 'authorization') === undefined), 'no credentials left the user\'s domain');
  });
});
