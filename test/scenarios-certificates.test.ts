/**
 * The certificate scenarios of the failure catalogue (packages/lab/src/scenarios/catalogue.ts),
 * through the whole local pipeline. Each: the finding code on the right step of the right
 * candidate, credentials withheld from that host (the lab saw no Authorization), and the verdict's
 * cause. Reference: shared/reference/autodiscover-protocol.md §7 (name, chain, dates) and §8 #6–#10;
 * §5.4: never send Basic credentials to an endpoint whose certificate failed validation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Step } from '@discotrace/core';
import { LabError, validateScenario } from '@discotrace/lab';
import { CATALOGUE, certCnOnlyWithSans, SUB_DOMAIN_USER } from '../packages/lab/src/scenarios/catalogue.ts';
import { ON_PREM_CERTIFICATE } from '../packages/lab/src/scenarios/example.ts';
import { assertNoCredentials, assertVerdict, candidate, codes, runEntry, story, withEntry, type CatalogueRun } from './utils/catalogue-run.ts';

const INTERMEDIATE_SUBJECT = 'CN=discotrace lab issuing CA 1, O=discotrace lab';

/**
 * The certificate step `kind` of `source` fails with `code`, which is the verdict's cause; the
 * anonymous POST still ran (the walk goes on to see what the server is) but the sign-in was
 * withheld, and no request anywhere carried credentials.
 */
function assertCertificateFailure(run: CatalogueRun, source: string, kind: Step['kind'], code: string): { step: Step; finding: Finding } {
  assertVerdict(run, 'not-found', code);
  const c = candidate(run, source);
  const step = c.steps.find((s) => s.kind === kind);
  assert.ok(step, story(run));
  assert.equal(step.status, 'fail', story(run));
  const finding = step.findings.find((f) => f.code === code);
  assert.ok(finding, `${kind} carries ${code}\n${story(run)}`);
  assert.equal(finding.severity, 'error');
  assert.deepEqual(run.report.verdict.cause, finding, 'the verdict leads with the certificate finding itself');
  // The other certificate checks of that host are still reported (every problem, not the first).
  for (const other of ['tls:cert-name', 'tls:cert-trust', 'tls:cert-dates'].filter((k) => k !== kind)) {
    assert.ok(c.steps.some((s) => s.kind === other), `${other} still recorded\n${story(run)}`);
  }
  const withheld = c.steps.find((s) => s.kind === 'http:post' && s.findings.some((f) => f.code === 'AUTH_WITHHELD_CERT'));
  assert.ok(withheld, `the sign-in to ${c.url} is withheld (AUTH_WITHHELD_CERT)\n${story(run)}`);
  assert.equal(withheld.status, 'skip');
  assertNoCredentials(run);
  assert.equal(c.status, 'failed');
  return { step, finding };
}

describe('catalogue: certificates (§7)', () => {
  it('§7.3 / §8 #8: an expired leaf fails the dates check (CERT_EXPIRED, naming the certificate and its notAfter); trust still passes; no credentials', async () => {
    await withEntry('cert-expired-leaf', (run) => {
      const { finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-dates', 'CERT_EXPIRED');
      assert.match(finding.title, /CN=autodiscover\.example\.com/);
      assert.ok(Date.parse(String(finding.evidence?.notAfter)) < Date.now(), 'the notAfter shown is in the past');
      assert.ok(finding.title.includes(String(finding.evidence?.notAfter)), 'the date is in the title (UTC)');
      assert.equal(candidate(run, 'autodiscover-https').steps.find((s) => s.kind === 'tls:cert-trust')?.status, 'pass', 'an expired certificate from a trusted CA is a date problem, not a trust problem');
    });
  });

  it('§7.3: a not-yet-valid leaf fails the dates check (CERT_NOT_YET_VALID, naming its notBefore); no credentials', async () => {
    await withEntry('cert-not-yet-valid', (run) => {
      const { finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-dates', 'CERT_NOT_YET_VALID');
      assert.ok(Date.parse(String(finding.evidence?.notBefore)) > Date.now(), 'the notBefore shown is in the future');
      assert.equal(candidate(run, 'autodiscover-https').steps.find((s) => s.kind === 'tls:cert-trust')?.status, 'pass');
    });
  });

  it('§7.2 / §8 #10: a self-signed certificate (Exchange default style) fails trust as CERT_SELF_SIGNED, not a generic trust error; no credentials', async () => {
    await withEntry('cert-self-signed', (run) => {
      const { finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-trust', 'CERT_SELF_SIGNED');
      assert.match(finding.title, /CN=autodiscover\.example\.com/);
      const c = candidate(run, 'autodiscover-https');
      assert.equal(c.steps.find((s) => s.kind === 'tls:cert-name')?.status, 'pass', 'the names are right: trust is the only problem');
    });
  });

  it('§7.2: a chain ending at a private root nobody trusts fails trust as CERT_UNTRUSTED, naming that root; no credentials', async () => {
    await withEntry('cert-untrusted-root', (run) => {
      const { step, finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-trust', 'CERT_UNTRUSTED');
      assert.match(finding.title, /discotrace lab untrusted root CA/);
      assert.equal((step.data as { chainLength: number }).chainLength, 2, 'leaf + private root as sent');
      assert.ok(!codes(run.report.verdict.others).includes('CERT_MISSING_INTERMEDIATE'), 'a private root is not a missing intermediate');
    });
  });

  it('§7.2 / §8 #9: the server sends only the leaf → CERT_MISSING_INTERMEDIATE (its own diagnosis: Windows may fetch it, other clients fail); no credentials', async () => {
    await withEntry('cert-missing-intermediate', (run) => {
      const { step, finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-trust', 'CERT_MISSING_INTERMEDIATE');
      assert.equal((step.data as { chainLength: number }).chainLength, 1, 'only the leaf was sent');
      assert.equal(finding.evidence?.missingIssuer, INTERMEDIATE_SUBJECT, 'names the issuer that was not sent');
      assert.match(finding.explanation, /Windows may fetch/);
      assert.match(finding.fix, /intermediate/i);
    });
  });

  it('§7.3 / §8 #8: an expired intermediate fails the dates check on the intermediate (every certificate in the chain is checked, not only the leaf); no credentials', async () => {
    await withEntry('cert-expired-intermediate', (run) => {
      const { step, finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-dates', 'CERT_EXPIRED');
      assert.equal(finding.evidence?.subject, INTERMEDIATE_SUBJECT, 'which certificate: the intermediate, not the leaf');
      const states = (step.data as { certificates: Array<{ subject: string; state: string }> }).certificates.map((c) => [c.subject, c.state]);
      // Leaf, the intermediate as sent, then the trusted root the chain was built to.
      assert.deepEqual(states.slice(0, 2), [['CN=autodiscover.example.com, O=discotrace lab', 'valid'], [INTERMEDIATE_SUBJECT, 'expired']]);
      assert.ok(states.slice(2).every(([, state]) => state === 'valid'), JSON.stringify(states));
      assert.equal(candidate(run, 'autodiscover-https').steps.find((s) => s.kind === 'tls:cert-trust')?.status, 'pass', 'the chain itself builds to the trusted root');
    });
  });

  it('§7.1 / §8 #7: *.example.com does not cover autodiscover.sub.example.com (a wildcard covers exactly one label) → CERT_NAME_MISMATCH; no credentials', async () => {
    await withEntry('cert-wildcard-too-deep', (run) => {
      const { step, finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-name', 'CERT_NAME_MISMATCH');
      assert.equal(run.phases[0]!.address, SUB_DOMAIN_USER);
      assert.deepEqual([step.data.host, step.data.dnsNames], ['autodiscover.sub.example.com', ['*.example.com']]);
      assert.match(finding.title, /autodiscover\.sub\.example\.com names \*\.example\.com/);
    });
  });

  it('§7.1 / §8 #7: *.example.com presented for the bare example.com does not match (root-domain candidate) → CERT_NAME_MISMATCH; no credentials', async () => {
    await withEntry('cert-wildcard-bare-domain', (run) => {
      const { step, finding } = assertCertificateFailure(run, 'root-https', 'tls:cert-name', 'CERT_NAME_MISMATCH');
      assert.deepEqual([step.data.host, step.data.dnsNames], ['example.com', ['*.example.com']]);
      assert.match(finding.title, /example\.com names \*\.example\.com/);
    });
  });

  it('§7.1 / §8 #6: the name only in the CN while SANs are present does not count (CN autodiscover.example.com, SAN mail.example.com) → CERT_NAME_MISMATCH; a CN-only certificate (no SANs) does match', async () => {
    await withEntry('cert-name-only-in-cn', (run) => {
      const { step, finding } = assertCertificateFailure(run, 'autodiscover-https', 'tls:cert-name', 'CERT_NAME_MISMATCH');
      assert.deepEqual([step.data.commonName, step.data.dnsNames], ['autodiscover.example.com', ['mail.example.com']]);
      assert.match(finding.title, /names mail\.example\.com/);
    });
    // Control: the same organisation with a CN-only certificate (no SAN extension at all) → the CN is used.
    const cnOnly = {
      ...CATALOGUE['cert-name-only-in-cn']!,
      scenario: {
        ...certCnOnlyWithSans,
        name: 'cert-cn-only-no-sans',
        endpoints: certCnOnlyWithSans.endpoints.map((e) => (e.host === 'autodiscover.example.com' && e.port === 443 ? { ...e, tls: { dnsNames: [], commonName: 'autodiscover.example.com' } } : e)),
      },
    };
    const run = await runEntry(cnOnly);
    try {
      assertVerdict(run, 'found');
      const name = candidate(run, 'autodiscover-https').steps.find((s) => s.kind === 'tls:cert-name')!;
      assert.equal(name.status, 'pass', story(run));
      assert.match(name.summary, /CN autodiscover\.example\.com/);
    } finally {
      await run.close();
    }
  });

  it('the scenarios change only the certificate: the same organisation with the good certificate is found', async () => {
    const good = {
      ...CATALOGUE['cert-expired-leaf']!,
      scenario: {
        ...CATALOGUE['cert-expired-leaf']!.scenario,
        name: 'cert-control',
        endpoints: CATALOGUE['cert-expired-leaf']!.scenario.endpoints.map((e) => (e.host === 'autodiscover.example.com' && e.port === 443 ? { ...e, tls: ON_PREM_CERTIFICATE } : e)),
      },
    };
    const run = await runEntry(good);
    try {
      assertVerdict(run, 'found');
    } finally {
      await run.close();
    }
  });
});

describe('lab certificate options used by the catalogue', () => {
  it('intermediateValidity only applies to a leaf signed by the intermediate (LAB_SCENARIO_INVALID otherwise)', () => {
    const bad = { ...certCnOnlyWithSans, name: 'bad-intermediate-validity', endpoints: [{ host: 'autodiscover.example.com', port: 443, tls: { dnsNames: ['autodiscover.example.com'], intermediateValidity: 'expired' as const }, behaviour: { kind: 'closed' as const } }] };
    assert.throws(() => validateScenario(bad), (e: unknown) => e instanceof LabError && e.code === 'LAB_SCENARIO_INVALID' && /intermediateValidity needs issuer "intermediate"/.test(e.message));
  });
});
