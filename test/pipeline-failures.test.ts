import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seed, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, type Scenario } from '@discotrace/lab';
import { runAgainstLab } from './utils/lab-run.ts';

const creds = { password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN };

/** The seed with Exchange Online accepting connections and never answering. */
function seedWithSilentExo(): Scenario {
  const s = structuredClone(seed) as Scenario;
  s.name = 'seed-silent-exo';
  s.endpoints = s.endpoints.map((e) => (e.host === 'autodiscover-s.outlook.com' && e.port === 443 ? { host: e.host, port: 443, behaviour: { kind: 'silent' } } : e)) as Scenario['endpoints'];
  return s;
}

describe('a phase that fails still leaves a trace and a report that says what happened', () => {
  it('CloudProbe crashes after its trace was written → Catch → report "incomplete" naming the state and the error', async () => {
    const run = await runAgainstLab('seed', SEED_ADDRESS, creds, {
      wrap: { CloudProbe: async (input, probe) => { await probe(input); throw new Error('simulated crash: Runtime.OutOfMemory'); } },
    });
    try {
      const r = run.report;
      assert.equal(r.verdict.status, 'incomplete');
      assert.deepEqual(r.failures.map((f) => [f.state, f.error]), [['CloudProbe', 'Error']]);
      assert.match(r.failures[0]!.cause, /simulated crash/);
      assert.equal(r.verdict.cause?.code, 'PHASE_CRASHED');
      assert.match(r.verdict.headline, /CloudProbe failed/);
      // Both phase traces are still there; the on-prem one is whole.
      assert.deepEqual(run.phases.map((p) => [p.index, p.state]), [[0, 'complete'], [1, 'complete']]);
    } finally {
      await run.close();
    }
  });

  it('CloudProbe never returns → the state times out (States.Timeout) → report lists the phase as missing', async () => {
    const run = await runAgainstLab('seed', SEED_ADDRESS, creds, {
      probeTimeoutSeconds: 3,
      wrap: { CloudProbe: () => new Promise(() => {}) },
    });
    try {
      const r = run.report;
      assert.equal(r.verdict.status, 'incomplete');
      assert.deepEqual(r.failures.map((f) => [f.state, f.error]), [['CloudProbe', 'States.Timeout']]);
      assert.equal(r.verdict.cause?.code, 'PHASE_ABORTED');
      assert.deepEqual(r.phases.map((p) => [p.index, p.role, p.state]), [[0, 'onprem', 'complete'], [1, 'cloud', 'missing']]);
      assert.equal(r.phases[1]!.address, 'alice@contoso.mail.onmicrosoft.com');
    } finally {
      await run.close();
    }
  });

  it('Exchange Online accepts and never answers → the phase stops at its deadline and stores a partial trace', async () => {
    const t0 = performance.now();
    const run = await runAgainstLab(seedWithSilentExo(), SEED_ADDRESS, creds, { probeTimeoutSeconds: 8 });
    try {
      const elapsed = performance.now() - t0;
      assert.ok(elapsed < 7_000, `stopped at the phase deadline, not the 10 s TLS timeout (${Math.round(elapsed)} ms)`);
      const cloud = run.phases[1]!;
      assert.equal(cloud.state, 'aborted');
      assert.equal(cloud.outcome?.kind, 'aborted');
      const redirected = cloud.candidates.find((c) => c.source === 'redirect')!;
      const tls = redirected.steps.find((s) => s.kind === 'tls:handshake')!;
      assert.equal(tls.status, 'fail');
      assert.equal(run.report.verdict.status, 'incomplete');
      assert.equal(run.report.verdict.cause?.code, 'PHASE_ABORTED');
    } finally {
      await run.close();
    }
  });
});
