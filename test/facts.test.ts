/**
 * Runs reduced to facts and compared (the domain history's "what changed", region groups side by
 * side): a change names the field that changed, and damaged step data never ends a comparison.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, factTable, runFacts, type RunTraces } from '../packages/core/src/trace/facts.ts';

type Leaf = { subject: string; issuer: string; dnsNames: string[]; notBefore: string; notAfter: string; serialNumber: string; fingerprint256: string };

function run(leaf: Leaf, extra: Record<string, unknown>[] = []): RunTraces {
  const steps = [
    { seq: 0, kind: 'tls:handshake', title: 'TLS', status: 'pass', expected: false, summary: '', startedAt: '', durationMs: 1, findings: [], data: { host: 'autodiscover.contoso.com', chain: [leaf] } },
    ...extra.map((data, i) => ({ seq: i + 1, kind: data.kind, title: `step ${i}`, status: 'info', expected: false, summary: '', startedAt: '', durationMs: 1, findings: [], data })),
  ];
  return {
    report: { verdict: { status: 'found', headline: '', others: [] }, chain: [], clients: [], phases: [] },
    phases: [{ index: 0, findings: [], candidates: [{ index: 0, source: 'autodiscover-https', url: 'https://autodiscover.contoso.com', title: 'Autodiscover host', status: 'settings', expected: false, steps }] }],
  } as unknown as RunTraces;
}

const LEAF: Leaf = { subject: 'CN=autodiscover.contoso.com', issuer: 'CN=Contoso CA 1', dnsNames: ['autodiscover.contoso.com', 'mail.contoso.com'], notBefore: '2026-03-04T00:00:00.000Z', notAfter: '2027-03-04T00:00:00.000Z', serialNumber: '01AB', fingerprint256: 'AA:BB' };

describe('facts: certificates', () => {
  it('a renewal by another CA is said field by field: issuer, serial and fingerprint changed, names and subject not', () => {
    const changes = compareRuns(run(LEAF), run({ ...LEAF, issuer: 'CN=Contoso CA 2', serialNumber: '02CD', fingerprint256: 'CC:DD' }));
    assert.deepEqual(changes, [
      { section: 'certificates', subject: 'autodiscover.contoso.com · issuer', kind: 'changed', before: 'CN=Contoso CA 1', after: 'CN=Contoso CA 2' },
      { section: 'certificates', subject: 'autodiscover.contoso.com · serial number', kind: 'changed', before: '01AB', after: '02CD' },
      { section: 'certificates', subject: 'autodiscover.contoso.com · SHA-256', kind: 'changed', before: 'AA:BB', after: 'CC:DD' },
    ]);
  });

  it('the whole fingerprint and the validity day are facts, not a clipped summary', () => {
    const facts = runFacts(run({ ...LEAF, fingerprint256: 'AB:'.repeat(31) + 'CD' }));
    assert.deepEqual(facts.filter((f) => f.section === 'certificates').map((f) => [f.subject, f.value]), [
      ['autodiscover.contoso.com · subject', 'CN=autodiscover.contoso.com'],
      ['autodiscover.contoso.com · issuer', 'CN=Contoso CA 1'],
      ['autodiscover.contoso.com · names (SAN)', 'autodiscover.contoso.com, mail.contoso.com'],
      ['autodiscover.contoso.com · valid from', '2026-03-04'],
      ['autodiscover.contoso.com · valid until', '2027-03-04'],
      ['autodiscover.contoso.com · serial number', '01AB'],
      ['autodiscover.contoso.com · SHA-256', `${'AB:'.repeat(31)}CD`],
    ]);
  });
});

describe('facts: damaged step data (a tampered store) is compared, never thrown on', () => {
  it('SRV records with nulls, outcomes that cannot be printed, a chain of nulls, 130,000 findings', () => {
    const damaged = run(LEAF, [
      { kind: 'dns:srv', name: '_autodiscover._tcp.contoso.com', outcome: 'ok', records: [null, { priority: 'x', weight: {}, port: 443, target: 'mail.contoso.com' }] },
      { kind: 'dns:resolve', host: 'contoso.com', outcome: { toString: 0 } },
    ]);
    (damaged.phases[0]!.candidates[0]!.steps[0]!.data as { chain: unknown[] }).chain = [null];
    damaged.phases[0]!.findings = Array.from({ length: 130_000 }, (_, i) => ({ code: 'X', severity: 'error', title: `t${i}`, explanation: '', fix: '', expected: false }));
    const rows = factTable([run(LEAF), damaged]);
    assert.ok(rows.some((r) => r.subject === 'SRV _autodiscover._tcp.contoso.com' && r.values[1] === 'x ? 443 mail.contoso.com'));
    assert.ok(rows.some((r) => r.subject === 'contoso.com' && r.values[1] === 'info'), 'an unprintable outcome reads as the step status');
    assert.ok(rows.some((r) => r.section === 'findings' && r.values[1] === 'error'));
  });
});
