/**
 * Transport scenarios of the failure catalogue (packages/lab/src/scenarios/catalogue.ts), through
 * the whole local pipeline: a host that accepts connections and never answers, and a body over the
 * probe's cap. The blackholed host (connections never answered) needs a network namespace:
 * test/scenarios-blackhole.test.ts. Reference: shared/reference/autodiscover-protocol.md §2.2
 * (candidates concurrently up to the anonymous request; a lower-priority success is accepted once
 * every higher-priority candidate has failed), §4.4 (per-step timeouts), §8 #11.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_CAP, MAIL_HOST, OVERSIZED_BASELINE } from '../packages/lab/src/scenarios/catalogue.ts';
import { assertCredentialsOnlyOverTls, assertVerdict, authorized, candidate, codes, step, story, withEntry } from './utils/catalogue-run.ts';

describe('catalogue: transport', () => {
  it('§8 #11 / §2.2: autodiscover.example.com accepts and never answers → TLS_TIMEOUT on its handshake within the short timeout, while SRV → mail.example.com answers → found, in about one timeout', async () => {
    await withEntry('transport-silent-host', (run, entry) => {
      assertVerdict(run, 'found');
      const tlsMs = entry.options!.timeouts!.tlsMs!;
      const handshake = step(run, 'autodiscover-https', 'tls:handshake');
      assert.equal(handshake.status, 'fail');
      assert.deepEqual(codes(handshake.findings), ['TLS_TIMEOUT'], story(run));
      assert.equal(step(run, 'autodiscover-https', 'tcp:connect').status, 'pass', 'the connection itself was accepted');
      assert.ok(run.lab.connections.some((c) => c.endpoint === 'autodiscover.example.com:443'), 'the lab accepted the connection');
      assert.deepEqual(run.lab.requests.filter((r) => r.endpoint === 'autodiscover.example.com:443'), [], 'and never saw a request');
      // The silent host that should have worked is reported with the found verdict.
      assert.ok(codes(run.report.verdict.others).includes('TLS_TIMEOUT'), story(run));
      assert.equal(run.phases[0]!.outcome?.kind === 'settings' && run.phases[0]!.outcome.url, `https://${MAIL_HOST}/Autodiscover/Autodiscover.xml`);
      assert.equal(candidate(run, 'srv').status, 'settings');
      // Concurrent candidates: the slow one costs one timeout, the fast ones nothing on top.
      const phaseMs = run.phases[0]!.durationMs!;
      assert.ok(phaseMs >= tlsMs - 50 && phaseMs < tlsMs + 1000, `phase took ${phaseMs} ms with a ${tlsMs} ms TLS timeout`);
      assert.ok(run.lab.requests.filter(authorized).every((r) => r.host === MAIL_HOST));
      assertCredentialsOnlyOverTls(run);
    });
  });

  it('a well-formed answer over the body cap: read up to the cap, marked truncated (HTTP_BODY_TRUNCATED), and the verdict says the body was cut — not that the server sent malformed XML', async () => {
    await withEntry('transport-body-over-cap', (run) => {
      assert.ok(Buffer.byteLength(OVERSIZED_BASELINE) > 4 * BODY_CAP, 'the lab serves far more than the cap');
      const signedIn = step(run, 'autodiscover-https', 'http:post', (s) => (s.data.exchange as { auth?: string })?.auth === 'basic');
      const ex = signedIn.data.exchange as { status: number; truncated: boolean; bodyBytes: number };
      assert.deepEqual([ex.status, ex.truncated, ex.bodyBytes], [200, true, BODY_CAP]);
      assert.ok(codes(signedIn.findings).includes('HTTP_BODY_TRUNCATED'), story(run));
      const served = run.lab.requests.find((r) => r.endpoint === 'autodiscover.example.com:443' && authorized(r));
      assert.equal(served?.status, 200);
      // The probe cut the body itself: "not well-formed XML" would send the admin hunting for a fault
      // the server does not have. The oversized answer (not parsed) is what explains the failure.
      assertVerdict(run, 'not-found', 'RESPONSE_TOO_LARGE');
      assert.match(run.report.verdict.headline, /exceeds 65536 bytes and was not parsed/);
    });
  });

  it('control: the same oversized answer under the default 1 MiB cap is read whole and found (the body is well-formed; only the cap cut it)', async () => {
    await withEntry('transport-body-over-cap', (run) => {
      assertVerdict(run, 'found');
      const signedIn = step(run, 'autodiscover-https', 'http:post', (s) => (s.data.exchange as { auth?: string })?.auth === 'basic');
      const ex = signedIn.data.exchange as { truncated: boolean; bodyBytes: number };
      assert.deepEqual([ex.truncated, ex.bodyBytes], [false, Buffer.byteLength(OVERSIZED_BASELINE)]);
    }, { bodyLimitBytes: 1024 * 1024 });
  });
});
