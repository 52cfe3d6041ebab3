/**
 * The per-client table (issue 3 item 7) across representative runs: from one run, which clients
 * will configure themselves — classic Outlook for Windows, new Outlook and Outlook mobile (v2),
 * Apple Mail and iOS (ActiveSync), Thunderbird, EWS libraries — each "no" with its reason. The
 * ActiveSync and v2 lines are asserted further in test/activesync.test.ts and
 * test/v2-crosscheck.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CASES } from '@discotrace/lab';
import { SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD } from '../packages/lab/src/scenarios/seed.ts';
import { CLIENTS_POD_URL } from '../packages/lab/src/scenarios/client-table.ts';
import { runCase } from './utils/case-run.ts';
import type { LabRun } from './utils/lab-run.ts';
import { client, runScenario, story, table } from './utils/scenario-run.ts';

type Run = LabRun & { close: () => Promise<void> };

const CLASSIC = 'Outlook for Windows (classic)';
const NEW = 'New Outlook / Outlook mobile (Autodiscover v2)';
const APPLE = 'Apple Mail / iOS (ActiveSync)';
const THUNDERBIRD = 'Thunderbird';
const EWS = 'EWS libraries (EWS Managed API, exchangelib)';

/** One run shared by the tests of a describe block. */
function shared(start: () => Promise<Run>): () => Run {
  let run: Run | undefined;
  before(async () => { run = await start(); });
  after(() => run?.close());
  return () => run!;
}

function caseRun(name: string): () => Promise<Run> {
  const c = CASES[name];
  assert.ok(c, `no case ${name}`);
  return () => runCase(c);
}

describe('seed (the hybrid journey): the table the journey test asserts', () => {
  const run = shared(() => runScenario('seed', { address: SEED_ADDRESS, credentials: { password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN } }));

  it('classic Outlook, new Outlook, Thunderbird and EWS libraries yes; ActiveSync unknown (Outlook schema run)', () => {
    assert.equal(run().report.verdict.status, 'found', story(run()));
    assert.deepEqual(table(run()), [[CLASSIC, 'yes'], [NEW, 'yes'], [APPLE, 'unknown'], [THUNDERBIRD, 'yes'], [EWS, 'yes']]);
    assert.match(client(run(), CLASSIC).reason, /HTTP redirect method/);
    assert.match(client(run(), NEW).reason, /v2/);
    assert.match(client(run(), APPLE).reason, /--schema mobilesync/);
    assert.match(client(run(), EWS).reason, /https:\/\/outlook\.office365\.com\/EWS\/Exchange\.asmx/);
  });
});

describe('BUG-14 (case-sensitive path): classic Outlook no', () => {
  const run = shared(caseRun('bug-14-path-case-sensitive'));

  it('classic Outlook no because of the path case; Thunderbird and EWS libraries (lower-case path) yes', () => {
    assert.equal(run().report.verdict.status, 'found', story(run()));
    const classic = client(run(), CLASSIC);
    assert.equal(classic.verdict, 'no');
    assert.match(classic.reason, /\/Autodiscover\/Autodiscover\.xml/);
    assert.match(classic.reason, /lowercase path/);
    assert.equal(client(run(), THUNDERBIRD).verdict, 'yes');
    assert.equal(client(run(), EWS).verdict, 'yes');
  });
});

describe('returned URLs of one host that fails: one warning naming each service once', () => {
  // BUG-06's settings hand out EWS and OAB URLs on the internal name ex01.corp.example.local.
  const run = shared(() => runScenario('bug-06-expr-missing-exch-only'));
  it('"EWS and OAB URLs on ex01.corp.example.local: …", not two services with one URL', () => {
    // The returned-URL check's findings lead with the services they concern.
    const titles = run().report.verdict.others.filter((f) => f.title.includes('ex01.corp.example.local') && /^(EWS|OAB)/.test(f.title)).map((f) => f.title);
    assert.ok(titles.length > 0, story(run()));
    for (const t of titles) {
      assert.ok(t.startsWith('EWS and OAB URLs on ex01.corp.example.local: '), t);
      assert.doesNotMatch(t, /EWS, OAB URL/, t);
    }
  });
});

describe('BUG-02 (port-80 redirect status): EWS libraries follow only 301/302', () => {
  const run307 = shared(caseRun('bug-02-http-redirect-307'));
  const run301 = shared(caseRun('bug-02-http-redirect-301'));

  it('307 → EWS libraries no, naming the status', () => {
    assert.equal(run307().report.verdict.status, 'found', story(run307()));
    const ews = client(run307(), EWS);
    assert.equal(ews.verdict, 'no');
    assert.match(ews.reason, /307/);
    assert.match(ews.reason, /301\/302/);
    // Outlook prompts for the redirect to another host, then uses it.
    assert.equal(client(run307(), CLASSIC).verdict, 'yes');
    assert.match(client(run307(), CLASSIC).reason, /HTTP redirect method/);
  });

  it('301 → EWS libraries yes (the contrast)', () => {
    assert.equal(run301().report.verdict.status, 'found', story(run301()));
    assert.equal(client(run301(), EWS).verdict, 'yes');
  });
});

describe('clients-redirect-url: the settings come through a redirectUrl', () => {
  const run = shared(() => runScenario('clients-redirect-url'));

  it('Thunderbird no (redirectUrl); classic Outlook and EWS libraries yes', () => {
    assert.equal(run().report.verdict.status, 'found', story(run()));
    assert.deepEqual(run().report.chain.map((h) => [h.kind, h.to, h.accepted]), [['redirectUrl', CLIENTS_POD_URL, true]]);
    const tb = client(run(), THUNDERBIRD);
    assert.equal(tb.verdict, 'no');
    assert.match(tb.reason, /redirectUrl/);
    assert.equal(client(run(), CLASSIC).verdict, 'yes');
    assert.equal(client(run(), EWS).verdict, 'yes');
  });
});

describe('clients-exch-only-no-ews: an EXCH block only, no EwsUrl or ASUrl', () => {
  const run = shared(() => runScenario('clients-exch-only-no-ews'));

  it('Thunderbird no and EWS libraries no, each for the missing EWS URL', () => {
    assert.equal(run().report.verdict.status, 'found', story(run()));
    assert.equal(run().report.verdict.settings!.ewsUrl, undefined);
    const tb = client(run(), THUNDERBIRD);
    assert.equal(tb.verdict, 'no');
    assert.match(tb.reason, /no EWS URL/);
    const ews = client(run(), EWS);
    assert.equal(ews.verdict, 'no');
    assert.match(ews.reason, /no EwsUrl/);
  });

  it('classic Outlook no from outside: EXCH alone (internal server name, no EXPR, no mapiHttp) gives no external connection', () => {
    // The probe is an external test; RCA fails "Missing EXPR element" for Outlook Anywhere, and the
    // parser's own EXPR_MISSING note says clients outside the network get no external settings.
    const classic = client(run(), CLASSIC);
    assert.equal(classic.verdict, 'no', classic.reason);
    assert.match(classic.reason, /EXPR|external|outside/i);
  });
});
