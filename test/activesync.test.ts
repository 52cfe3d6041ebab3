/**
 * The ActiveSync (mobilesync) Autodiscover schema (issue 3 item 5; MS-ASCMD Autodiscover, reference
 * §3.4, §6.1): the lab's emulated Exchange answers a mobilesync request in MS-ASCMD shape, and the
 * engine, run with `schema: 'mobilesync'` like RCA's Exchange ActiveSync Autodiscover test, finds
 * the ActiveSync URL on-premises, follows Action/Redirect into Exchange Online, and names ErrorCode
 * 601 when the MobileSync provider is off.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUTODISCOVER_NS, buildPoxRequest, parseAutodiscoverResponse } from '../packages/core/src/autodiscover/index.ts';
import { headerValue, ONPREM_ADDRESS, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, SEED_ROUTING_ADDRESS } from '@discotrace/lab';
import {
  errorXml,
  mobileSyncErrorXml,
  mobileSyncRedirectXml,
  mobileSyncSettingsXml,
  readRequestedSchema,
} from '../packages/lab/src/autodiscover-xml.ts';
import { ACTIVESYNC_ERROR_MESSAGE } from '../packages/lab/src/scenarios/activesync.ts';
import { client, runScenario, story, table, traced, type ScenarioRun } from './utils/scenario-run.ts';
import { renderVerdict } from '../packages/cli/src/render/tree.ts';

const MOBILESYNC = { schema: 'mobilesync' } as const;
const XML = 'text/xml; charset=utf-8';

describe('lab: the MobileSync provider speaks MS-ASCMD', () => {
  it('detects the provider from AcceptableResponseSchema (any prefix), else the root namespace; Outlook otherwise', () => {
    assert.equal(readRequestedSchema(buildPoxRequest('a@contoso.com', 'mobilesync')), 'mobilesync');
    assert.equal(readRequestedSchema(buildPoxRequest('a@contoso.com', 'outlook')), 'outlook');
    const prefixed = `<?xml version="1.0"?><a:Autodiscover xmlns:a="${AUTODISCOVER_NS.mobilesyncRequest}"><a:Request><a:EMailAddress>a@contoso.com</a:EMailAddress><a:AcceptableResponseSchema>${AUTODISCOVER_NS.mobilesyncResponse}</a:AcceptableResponseSchema></a:Request></a:Autodiscover>`;
    assert.equal(readRequestedSchema(prefixed), 'mobilesync');
    // No AcceptableResponseSchema: the request namespace decides.
    assert.equal(readRequestedSchema(`<Autodiscover xmlns="${AUTODISCOVER_NS.mobilesyncRequest}"><Request><EMailAddress>a@contoso.com</EMailAddress></Request></Autodiscover>`), 'mobilesync');
    assert.equal(readRequestedSchema(`<a:Autodiscover xmlns:a="${AUTODISCOVER_NS.mobilesyncRequest}"><a:Request><a:EMailAddress>a@contoso.com</a:EMailAddress></a:Request></a:Autodiscover>`), 'mobilesync');
    assert.equal(readRequestedSchema('<Autodiscover><Request><EMailAddress>a@contoso.com</EMailAddress></Request></Autodiscover>'), 'outlook');
    // The schema named in AcceptableResponseSchema wins over the request namespace.
    assert.equal(readRequestedSchema(`<Autodiscover xmlns="${AUTODISCOVER_NS.mobilesyncRequest}"><Request><EMailAddress>a@contoso.com</EMailAddress><AcceptableResponseSchema>${AUTODISCOVER_NS.outlookResponse}</AcceptableResponseSchema></Request></Autodiscover>`), 'outlook');
  });

  it('settings: Culture, User{DisplayName,EMailAddress}, Action/Settings/Server{Type MobileSync,Url,Name}', () => {
    const body = mobileSyncSettingsXml({ action: 'settings', profile: 'onprem', displayName: 'Bob Example' }, 'bob@contoso.com');
    assert.deepEqual(parseAutodiscoverResponse(body, XML), {
      kind: 'mobilesync-settings',
      schema: 'mobilesync',
      user: { displayName: 'Bob Example', emailAddress: 'bob@contoso.com' },
      culture: 'en:us',
      servers: [{ type: 'MobileSync', url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync', name: 'https://mail.contoso.com/Microsoft-Server-ActiveSync' }],
      notes: [],
    });
    const exo = parseAutodiscoverResponse(mobileSyncSettingsXml({ action: 'settings', profile: 'exo' }, 'alice@contoso.com'), XML);
    assert.equal(exo.kind === 'mobilesync-settings' && exo.servers[0]!.url, 'https://outlook.office365.com/Microsoft-Server-ActiveSync');
    const custom = parseAutodiscoverResponse(mobileSyncSettingsXml({ action: 'settings', profile: 'onprem', activeSyncUrl: 'https://eas.contoso.com/Microsoft-Server-ActiveSync' }, 'bob@contoso.com'), XML);
    assert.equal(custom.kind === 'mobilesync-settings' && custom.servers[0]!.url, 'https://eas.contoso.com/Microsoft-Server-ActiveSync');
  });

  it('redirect → Action/Redirect; error → Action/Error{Status,Message,DebugData}; 601 in the base namespace', () => {
    const redirect = parseAutodiscoverResponse(mobileSyncRedirectXml(SEED_ROUTING_ADDRESS, SEED_ADDRESS), XML);
    assert.deepEqual(redirect, { kind: 'redirectAddr', schema: 'mobilesync', address: SEED_ROUTING_ADDRESS, notes: [] });
    const error = parseAutodiscoverResponse(mobileSyncErrorXml({ status: 1, message: 'The directory service could not be reached', debugData: 'MailUser', requestedAddress: 'carol@contoso.com' }), XML);
    assert.deepEqual(error, { kind: 'mobilesync-error', schema: 'mobilesync', status: '1', message: 'The directory service could not be reached', debugData: 'MailUser', notes: [] });
    const disabled = errorXml({ code: 601, id: '1' });
    assert.match(disabled, /<Response xmlns="http:\/\/schemas\.microsoft\.com\/exchange\/autodiscover\/responseschema\/2006">/);
    const parsed = parseAutodiscoverResponse(disabled, XML);
    assert.equal(parsed.kind === 'error' && parsed.code, '601');
  });
});

describe('onprem-only with schema mobilesync: bob\'s ActiveSync settings on-premises', () => {
  let run: ScenarioRun;
  before(async () => { run = await runScenario('onprem-only', { options: MOBILESYNC }); });
  after(() => run?.close());

  it('found, with the https ActiveSync URL of the on-premises server', () => {
    assert.equal(run.report.verdict.status, 'found', story(run));
    const settings = run.report.verdict.settings!;
    assert.equal(settings.activeSyncUrl, 'https://mail.contoso.com/Microsoft-Server-ActiveSync');
    assert.match(settings.activeSyncUrl!, /^https:\/\//);
    assert.equal(settings.autoDiscoverSmtpAddress, ONPREM_ADDRESS);
    assert.deepEqual(settings.protocols.map((p) => p.type), ['MobileSync']);
  });

  it('the requests asked for the MobileSync provider (MS-ASCMD namespaces), without the MAPI/HTTP capability header', () => {
    const posts = run.lab.requests.filter((r) => r.method === 'POST' && r.host === 'autodiscover.contoso.com');
    assert.ok(posts.length >= 2, story(run));
    for (const r of posts) {
      assert.equal(readRequestedSchema(r.body), 'mobilesync');
      assert.ok(r.body.includes(`xmlns="${AUTODISCOVER_NS.mobilesyncRequest}"`));
      assert.equal(headerValue(r, 'x-mapihttpcapability'), undefined);
    }
  });

  it('Apple Mail / iOS says yes; the Outlook-schema clients are unknown for this run', () => {
    assert.equal(client(run, 'Apple Mail').verdict, 'yes');
    for (const name of ['Outlook for Windows', 'Thunderbird', 'EWS libraries']) {
      const line = client(run, name);
      assert.equal(line.verdict, 'unknown', name);
      assert.match(line.reason, /ActiveSync/);
    }
  });
});

describe('seed with schema mobilesync: Action/Redirect on-premises, then Exchange Online\'s ActiveSync settings', () => {
  let run: ScenarioRun;
  before(async () => { run = await runScenario('seed', { address: SEED_ADDRESS, credentials: { password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN }, options: MOBILESYNC }); });
  after(() => run?.close());

  it('on-premises answers Action/Redirect, which the walk follows as an address hand-off to the tenant routing address', () => {
    const onPremAnswer = run.phases[0]!.candidates.flatMap((c) => c.steps).find((s) => s.kind === 'autodiscover:response');
    assert.ok(onPremAnswer, story(run));
    const parsed = onPremAnswer.data.parsed as { kind: string; schema: string; address: string };
    assert.deepEqual([parsed.kind, parsed.schema, parsed.address], ['redirectAddr', 'mobilesync', SEED_ROUTING_ADDRESS]);
    assert.deepEqual(run.report.chain.map((h) => [h.kind, h.to, h.accepted]), [
      ['redirectAddr', SEED_ROUTING_ADDRESS, true],
      ['http', 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml', true],
    ]);
    assert.equal(traced(run, 'HANDOFF_TENANT_ROUTING').length, 1, story(run));
    assert.deepEqual(run.phases.map((p) => [p.role, p.address, p.schema]), [['onprem', SEED_ADDRESS, 'mobilesync'], ['cloud', SEED_ROUTING_ADDRESS, 'mobilesync']]);
  });

  it('found in Exchange Online: https://outlook.office365.com/Microsoft-Server-ActiveSync', () => {
    assert.equal(run.report.verdict.status, 'found', story(run));
    assert.equal(run.report.verdict.settings!.activeSyncUrl, 'https://outlook.office365.com/Microsoft-Server-ActiveSync');
    const exoPosts = run.lab.requests.filter((r) => r.method === 'POST' && r.host === 'autodiscover-s.outlook.com');
    assert.ok(exoPosts.length > 0 && exoPosts.every((r) => readRequestedSchema(r.body) === 'mobilesync'));
    assert.ok(exoPosts.some((r) => r.body.includes(`<EMailAddress>${SEED_ROUTING_ADDRESS}</EMailAddress>`)), 'Exchange Online was asked about the redirect address');
  });

  it('Apple Mail / iOS says yes', () => {
    assert.equal(client(run, 'Apple Mail').verdict, 'yes');
    assert.deepEqual(table(run).map(([, v]) => v), ['unknown', 'unknown', 'yes', 'unknown', 'unknown']);
  });

  it('the terminal verdict names the ActiveSync URL (there is no EWS URL to name)', () => {
    const lines = renderVerdict({ color: false }, run.report);
    assert.match(lines.join('\n'), /Autodiscover works for .*\(ActiveSync https:\/\/outlook\.office365\.com\/Microsoft-Server-ActiveSync\)/);
    assert.ok(lines.includes('Settings an ActiveSync client would use'));
    assert.ok(lines.some((l) => /^  ActiveSync URL +https:\/\/outlook\.office365\.com\/Microsoft-Server-ActiveSync$/.test(l)), lines.join('\n'));
  });
});

describe('activesync-disabled: the MobileSync provider is off on-premises', () => {
  it('schema mobilesync → not found, led by AD_ERROR_601; Apple Mail / iOS no', async () => {
    const run = await runScenario('activesync-disabled', { options: MOBILESYNC });
    try {
      assert.equal(run.report.verdict.status, 'not-found', story(run));
      assert.equal(run.report.verdict.cause?.code, 'AD_ERROR_601', story(run));
      const apple = client(run, 'Apple Mail');
      assert.equal(apple.verdict, 'no');
      assert.ok(apple.reason.length > 0);
      // The 601 is the base-namespace Error the provider sends, not an ActiveSync Action/Error.
      const answer = run.phases[0]!.candidates.flatMap((c) => c.steps).find((s) => s.kind === 'autodiscover:response');
      assert.equal((answer?.data.parsed as { kind?: string })?.kind, 'error');
    } finally {
      await run.close();
    }
  });

  it('the same endpoint still serves Outlook: schema outlook → found', async () => {
    const run = await runScenario('activesync-disabled');
    try {
      assert.equal(run.report.verdict.status, 'found', story(run));
      assert.equal(run.report.verdict.settings!.ewsUrl, 'https://mail.contoso.com/EWS/Exchange.asmx');
    } finally {
      await run.close();
    }
  });
});

describe('activesync-provider-error: the provider answers Action/Error', () => {
  it('not found; the cause carries the provider\'s Status and Message', async () => {
    const run = await runScenario('activesync-provider-error', { options: MOBILESYNC });
    try {
      assert.equal(run.report.verdict.status, 'not-found', story(run));
      const cause = run.report.verdict.cause!;
      assert.equal(cause.code, 'AD_ERROR_OTHER', story(run));
      assert.ok(cause.title.includes(ACTIVESYNC_ERROR_MESSAGE), cause.title);
      assert.equal(cause.evidence?.status, '1');
      assert.equal(client(run, 'Apple Mail').verdict, 'no');
    } finally {
      await run.close();
    }
  });
});
