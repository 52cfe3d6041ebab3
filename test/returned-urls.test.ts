/**
 * Following the returned URLs (issue 3 item 6): after the settings, the EWS, OAB and MAPI URLs
 * they hand out are checked anonymously — resolvable, certificate valid, answering (401 is
 * healthy). Autodiscover itself worked, so the verdict stays "found" and each problem is a
 * warning among the others, naming the URL (or the host and the service) it is about.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '@discotrace/core';
import { headerValue } from '@discotrace/lab';
import { RETURNED_EWS_HOST, RETURNED_EWS_URL } from '../packages/lab/src/scenarios/returned-urls.ts';
import { client, others, runScenario, story, type ScenarioRun } from './utils/scenario-run.ts';

const EWS_LIBRARIES = 'EWS libraries';
const THUNDERBIRD = 'Thunderbird';

function returnedCandidates(run: ScenarioRun) {
  return run.phases.at(-1)!.candidates.filter((c) => c.source === 'returned-url');
}

/** A finding about a returned URL names that URL, or its host together with the service. */
function namesUrl(f: Finding, url: string, service: string): boolean {
  const host = new URL(url).hostname;
  return f.title.includes(url) || (f.title.includes(host) && f.title.includes(service));
}

function assertFoundWithWarning(run: ScenarioRun, code: string, host: string): Finding {
  assert.equal(run.report.verdict.status, 'found', story(run));
  assert.equal(run.report.verdict.cause, undefined);
  const f = others(run, code).find((x) => x.title.includes(host));
  assert.ok(f, `no ${code} about ${host} among the others\n${story(run)}`);
  assert.equal(f.severity, 'warning', f.title);
  return f;
}

/** One run per scenario, shared by its tests. */
function scenario(name: string): () => ScenarioRun {
  let run: ScenarioRun | undefined;
  before(async () => { run = await runScenario(name); });
  after(() => run?.close());
  return () => run!;
}

describe('returned-ews-cert-mismatch: the EWS host presents a certificate for another name', () => {
  const run = scenario('returned-ews-cert-mismatch');

  it('found; CERT_NAME_MISMATCH for the EWS host is a warning among the others; OAB/MAPI healthy; no credentials sent', () => {
    assert.equal(run().report.verdict.settings!.ewsUrl, RETURNED_EWS_URL);
    assertFoundWithWarning(run(), 'CERT_NAME_MISMATCH', RETURNED_EWS_HOST);
    const ews = returnedCandidates(run()).find((c) => c.url === `https://${RETURNED_EWS_HOST}`);
    assert.ok(ews, story(run()));
    assert.equal(ews.status, 'failed');
    // The other origin (OAB, MAPI on mail.contoso.com) is healthy: 401 everywhere.
    const mail = returnedCandidates(run()).find((c) => c.url === 'https://mail.contoso.com');
    assert.equal(mail?.status, 'answered', story(run()));
    // Anonymous checks only: no credentials to any returned-URL host.
    assert.ok(!run().lab.requests.some((r) => r.host === RETURNED_EWS_HOST && headerValue(r, 'authorization') !== undefined));
  });

  it('the warning says it is the EWS URL', () => {
    const f = others(run(), 'CERT_NAME_MISMATCH').find((x) => x.title.includes(RETURNED_EWS_HOST))!;
    // Among the others a bare "Certificate for ews.contoso.com …" does not say which service breaks.
    assert.ok(namesUrl(f, RETURNED_EWS_URL, 'EWS'), `does not name the EWS URL: ${f.title}`);
  });

  it('EWS libraries and Thunderbird no: the EWS URL\'s own check failed (certificate), named in the reason', () => {
    for (const name of [EWS_LIBRARIES, THUNDERBIRD]) {
      const c = client(run(), name);
      assert.equal(c.verdict, 'no', c.reason);
      assert.ok(c.reason.includes(`EWS URL ${RETURNED_EWS_URL}`), c.reason);
      assert.match(c.reason, /legacy\.contoso\.com/);
    }
  });
});

describe('returned-oab-404: the OAB URL answers 404', () => {
  const run = scenario('returned-oab-404');

  it('found; RETURNED_URL_FAILED warning naming the OAB URL; EWS and MAPI are healthy', () => {
    const oab = run().report.verdict.settings!.oabUrl!;
    assert.match(oab, /^https:\/\/mail\.contoso\.com\/OAB\//);
    const f = assertFoundWithWarning(run(), 'RETURNED_URL_FAILED', 'mail.contoso.com');
    assert.ok(f.title.includes(oab), f.title);
    assert.match(f.title, /OAB/);
    assert.match(f.title, /404/);
    assert.equal(others(run(), 'RETURNED_URL_FAILED').length, 1, 'only the OAB URL failed');
    const [c] = returnedCandidates(run());
    const gets = c!.steps.filter((s) => s.kind === 'http:get');
    assert.deepEqual(gets.map((s) => [s.title.split(' ')[1], s.status]), [['EWS', 'pass'], ['OAB', 'fail'], ['MAPI', 'pass'], ['MAPI', 'pass']]);
  });

  it('the warning names the OAB URL alone (not prefixed with the other services or the EWS URL); the candidate names only OAB', () => {
    const oab = run().report.verdict.settings!.oabUrl!;
    const [f] = others(run(), 'RETURNED_URL_FAILED');
    assert.equal(f!.title, `OAB URL ${oab} answers 404`);
    const [c] = returnedCandidates(run());
    assert.equal(c!.summary, 'problems with OAB');
  });

  it('an OAB failure does not affect EWS clients: EWS libraries and Thunderbird yes', () => {
    assert.equal(client(run(), EWS_LIBRARIES).verdict, 'yes', client(run(), EWS_LIBRARIES).reason);
    assert.equal(client(run(), THUNDERBIRD).verdict, 'yes', client(run(), THUNDERBIRD).reason);
  });
});

describe('returned-mapi-client-cert: only the MAPI virtual directory asks for a client certificate (403.7)', () => {
  const run = scenario('returned-mapi-client-cert');

  it('the 403.7 is the MAPI URLs\' own failure: the client-certificate check (judged on the first answer) passes, EWS clients stay yes', () => {
    const [c] = returnedCandidates(run());
    const gets = c!.steps.filter((s) => s.kind === 'http:get');
    assert.deepEqual(gets.map((s) => [s.title.split(' ')[1], s.status]), [['EWS', 'pass'], ['OAB', 'pass'], ['MAPI', 'fail'], ['MAPI', 'fail']]);
    assert.equal(c!.steps.find((s) => s.kind === 'tls:client-cert')?.status, 'pass');
    assert.equal(c!.summary, 'problems with MAPI mail store, MAPI address book');
    for (const f of others(run(), 'RETURNED_URL_FAILED')) assert.match(f.title, /^MAPI (mail store|address book) URL \S+ answers 403$/);
    assert.equal(client(run(), EWS_LIBRARIES).verdict, 'yes', client(run(), EWS_LIBRARIES).reason);
    assert.equal(client(run(), THUNDERBIRD).verdict, 'yes', client(run(), THUNDERBIRD).reason);
  });
});

describe('returned-ews-nxdomain: the EWS host does not resolve', () => {
  const run = scenario('returned-ews-nxdomain');

  it('found; DNS_NXDOMAIN warning for the EWS host; the rest is still checked', () => {
    assertFoundWithWarning(run(), 'DNS_NXDOMAIN', RETURNED_EWS_HOST);
    const mail = returnedCandidates(run()).find((c) => c.url === 'https://mail.contoso.com');
    assert.equal(mail?.status, 'answered', story(run()));
  });

  it('the warning says it is the EWS URL', () => {
    const f = others(run(), 'DNS_NXDOMAIN').find((x) => x.title.includes(RETURNED_EWS_HOST))!;
    assert.ok(namesUrl(f, RETURNED_EWS_URL, 'EWS'), `does not name the EWS URL: ${f.title}`);
  });

  it('EWS libraries and Thunderbird no, naming the failed check of the EWS URL; classic Outlook still yes', () => {
    for (const name of [EWS_LIBRARIES, THUNDERBIRD]) {
      const c = client(run(), name);
      assert.equal(c.verdict, 'no', c.reason);
      assert.ok(c.reason.includes(`check of the EWS URL ${RETURNED_EWS_URL} failed`), c.reason);
      assert.match(c.reason, /NXDOMAIN/);
    }
    assert.equal(client(run(), 'Outlook for Windows (classic)').verdict, 'yes');
  });
});
