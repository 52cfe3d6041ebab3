import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newRunId, resolveOptions, runPhase, type PhaseTrace, type Timeouts } from '@discotrace/core';
import { startLab, type EndpointSpec, type HttpBehaviour, type Scenario } from '@discotrace/lab';
import { clean, renderPhases } from '../packages/cli/src/render/tree.ts';

// Every network operation has a timeout and every body a cap; a hostile answer is a finding, never a crash.

const ADDRESS = 'user1@limits.example';
const PASSWORD = 'Limits-Passw0rd!';

/** One Autodiscover host whose HTTPS endpoint behaves as given; everything else absent. */
function scenario(name: string, behaviour: HttpBehaviour, extra: Partial<EndpointSpec> = {}): Scenario {
  return {
    name,
    description: `limits: ${name}`,
    users: [{ address: ADDRESS, username: ADDRESS, password: PASSWORD }],
    dns: {
      'limits.example': { behaviour: 'nxdomain' },
      'autodiscover.limits.example': { A: ['127.0.0.21'] },
      '_autodiscover._tcp.limits.example': { behaviour: 'nxdomain' },
    },
    endpoints: [
      { host: 'autodiscover.limits.example', port: 443, tls: { dnsNames: ['autodiscover.limits.example'] }, behaviour, ...extra },
      { host: 'autodiscover.limits.example', port: 80, behaviour: { kind: 'closed' } },
    ],
  };
}

async function probe(s: Scenario, timeouts: Partial<Timeouts> = {}, bodyLimitBytes?: number): Promise<{ trace: PhaseTrace; ms: number }> {
  const lab = await startLab(s);
  try {
    const options = resolveOptions({ dnsServers: [lab.dnsServer], connectTo: lab.connectTo, trustedCaCertificates: lab.caCertificates, timeouts: timeouts as Timeouts, ...(bodyLimitBytes ? { bodyLimitBytes } : {}) });
    const t0 = performance.now();
    const trace = await runPhase({ runId: newRunId(), index: 0, role: 'onprem', address: ADDRESS, hops: 0, visitedAddresses: [], visitedUrls: [] }, { options, credentials: { password: PASSWORD } });
    return { trace, ms: performance.now() - t0 };
  } finally {
    await lab.close();
  }
}

function codes(trace: PhaseTrace): string[] {
  return trace.candidates.flatMap((c) => c.steps.flatMap((s) => s.findings.map((f) => f.code)));
}

describe('limits: timeouts, body cap, hostile bodies', () => {
  it('a server that accepts and never answers → TLS timeout within the configured time', async () => {
    const { trace, ms } = await probe(scenario('silent', { kind: 'silent' }), { tlsMs: 800 });
    assert.ok(codes(trace).includes('TLS_TIMEOUT'), codes(trace).join());
    assert.ok(ms < 5_000, `finished in ${Math.round(ms)} ms`);
    assert.equal(trace.outcome?.kind, 'failed');
  });

  it('a TLS server that never answers the POST → HTTP timeout, reported on the POST step', async () => {
    const { trace } = await probe(scenario('slow', { kind: 'static', status: 200, body: '<x/>', delayMs: 5_000 }), { httpMs: 700 });
    const post = trace.candidates.find((c) => c.source === 'autodiscover-https')!.steps.find((s) => s.kind === 'http:post')!;
    assert.equal(post.status, 'fail');
    assert.equal(post.findings[0]!.code, 'HTTP_TIMEOUT');
  });

  it('a body over the cap is cut and reported as truncated', async () => {
    const big = `<html><body>${'x'.repeat(300_000)}</body></html>`;
    const { trace } = await probe(scenario('big', { kind: 'static', status: 200, headers: { 'Content-Type': 'text/html' }, body: big }), {}, 64 * 1024);
    const post = trace.candidates.find((c) => c.source === 'autodiscover-https')!.steps.find((s) => s.kind === 'http:post')!;
    const ex = post.data.exchange as { truncated: boolean; bodyBytes: number };
    assert.equal(ex.truncated, true);
    assert.equal(ex.bodyBytes, 64 * 1024);
    assert.ok(codes(trace).includes('HTTP_BODY_TRUNCATED'));
  });

  it('an XML bomb is refused before parsing (no entity expansion)', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Autodiscover>&lol2;</Autodiscover>';
    const { trace } = await probe(scenario('bomb', { kind: 'static', status: 200, headers: { 'Content-Type': 'text/xml' }, body: bomb }));
    assert.ok(codes(trace).includes('RESPONSE_DTD_REFUSED'), codes(trace).join());
  });

  it('a 200 HTML login page is named as such, never parsed as Autodiscover (BUG-08)', async () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in - Example Corp</title></head><body><form action="/owa/auth.owa">&subset</form></body></html>';
    const { trace } = await probe(scenario('html', { kind: 'static', status: 200, headers: { 'Content-Type': 'text/html' }, body: page }));
    const f = trace.candidates.flatMap((c) => c.steps.flatMap((s) => s.findings)).find((x) => x.code === 'RESPONSE_HTML_PAGE');
    assert.ok(f, codes(trace).join());
    assert.match(f!.title, /Sign in - Example Corp/);
  });

  it('terminal control characters from a hostile server never reach the terminal', async () => {
    const { trace } = await probe(scenario('ansi', { kind: 'static', status: 404, headers: { 'Content-Type': 'text/html' }, body: '<html><title>\u001b[2J\u001b[31mowned</title></html>' }));
    assert.ok(codes(trace).includes('POST_NOT_FOUND'), codes(trace).join());
    const printed = renderPhases({ color: false }, [trace]).join('\n');
    assert.match(printed, /owned/);
    assert.doesNotMatch(printed, /\u001b/);
    assert.equal(clean('a\u001b[2Jb\u0007c\u202ed'), 'a\uFFFD[2Jb\uFFFDc\uFFFDd');
  });
});
