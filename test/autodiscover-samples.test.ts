/**
 * Every composed sample in ../shared/reference/samples/ through the function that handles it, with
 * the interpretation its README states. The directory is read, so a new sample without an
 * expectation here fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildPoxRequest,
  checkAddressRedirect,
  checkRedirectMethodResponse,
  checkUrlRedirect,
  describeBearer,
  EXCHANGE_CLIENT_ID,
  isTenantRoutingDomain,
  looksLikeExchange,
  parseAutodiscoverResponse,
  parseV2Response,
  parseWwwAuthenticate,
  summarizeSettings,
} from '../packages/core/src/autodiscover/index.ts';
import type { ParsedResponse, SettingsResponse } from '../packages/core/src/autodiscover/index.ts';
import { canonicalXml, fixtureFiles, readSample, samplesDir } from './utils/autodiscover-fixtures.ts';
import { headerValue, headerValues, parseRawHttpMessage } from './utils/raw-http.ts';

const XML = 'text/xml; charset=utf-8';

function settings(parsed: ParsedResponse): SettingsResponse {
  assert.equal(parsed.kind, 'settings', `expected settings, got ${parsed.kind}: ${JSON.stringify(parsed)}`);
  return parsed as SettingsResponse;
}

const expectations: Record<string, { title: string; check: (text: string) => void }> = {
  'pox-request-outlook-2006a.xml': {
    title: 'buildPoxRequest produces an equivalent document; the parser refuses it as a response (NO_RESPONSE, request document)',
    check(text) {
      const sample = canonicalXml(text);
      const address = sample.children[0].children.find((c) => c.local === 'EMailAddress')!.text;
      assert.equal(address, 'alice@contoso.com');
      assert.deepEqual(canonicalXml(buildPoxRequest(address)), sample);
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'invalid');
      assert.equal(parsed.kind === 'invalid' && parsed.reason, 'NO_RESPONSE');
      assert.ok(parsed.notes.some((n) => n.code === 'REQUEST_DOCUMENT'));
    },
  },
  'onprem-redirectAddr-to-tenant-routing-domain.xml': {
    title: 'redirectAddr → alice@contoso.mail.onmicrosoft.com, accepted as hop 1, tenant routing domain',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'redirectAddr');
      if (parsed.kind !== 'redirectAddr') return;
      assert.equal(parsed.address, 'alice@contoso.mail.onmicrosoft.com');
      assert.deepEqual(parsed.notes, []);
      const check = checkAddressRedirect({ current: 'alice@contoso.com', target: parsed.address, visitedAddresses: ['alice@contoso.com'], hops: 0 });
      assert.deepEqual(check, { ok: true, address: 'alice@contoso.mail.onmicrosoft.com', domain: 'contoso.mail.onmicrosoft.com', tenantRouting: true, hop: 1 });
      assert.ok(isTenantRoutingDomain('contoso.mail.onmicrosoft.com'));
    },
  },
  'exo-redirectUrl-to-regional-endpoint.xml': {
    title: 'redirectUrl → pod URL, which passes validation (https, autodiscover.xml path, unvisited, hop budget)',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'redirectUrl');
      if (parsed.kind !== 'redirectUrl') return;
      assert.equal(parsed.url, 'https://pod54321.outlook.com/autodiscover/autodiscover.xml');
      const base = 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml';
      const check = checkUrlRedirect({ location: parsed.url, base, visited: [base], hops: 2 });
      assert.deepEqual(check, { ok: true, url: parsed.url, sameOrigin: false, registrableDomainChanged: false, hop: 3 });
    },
  },
  'onprem-settings-exch-expr-web.xml': {
    title: 'settings; EXCH/EXPR/WEB; EwsUrl https; MicrosoftOnline False; ServerVersion 73C18E3A → 15.1.3642',
    check(text) {
      const s = settings(parseAutodiscoverResponse(text, XML));
      assert.deepEqual(s.protocols.map((p) => p.type), ['EXCH', 'EXPR', 'WEB']);
      assert.equal(s.account.microsoftOnline, false);
      assert.equal(s.protocols[0].decodedVersion?.text, '15.1.3642');
      assert.deepEqual(s.notes, [], 'a healthy on-premises answer has nothing to note');
      const summary = summarizeSettings(s);
      assert.equal(summary.ewsUrl, 'https://mail.contoso.com/EWS/Exchange.asmx');
      assert.equal(summary.owaUrl, 'https://mail.contoso.com/owa/');
      assert.equal(summary.autoDiscoverSmtpAddress, 'bob@contoso.com');
      assert.equal(s.protocols[1].authPackage, 'Ntlm');
      assert.equal(s.protocols[1].certPrincipalName, 'msstd:mail.contoso.com');
    },
  },
  'exo-settings-mapihttp.xml': {
    title: 'settings; mapiHttp block from attributes (Type/Version); MicrosoftOnline True; primary address; 73D49F70 → 15.20.8048',
    check(text) {
      const s = settings(parseAutodiscoverResponse(text, XML));
      const mapi = s.protocols.find((p) => p.type === 'mapiHttp');
      assert.ok(mapi);
      assert.equal(mapi.typeFrom, 'attribute');
      assert.equal(mapi.version, '1');
      assert.equal(s.account.microsoftOnline, true);
      assert.equal(s.user.autoDiscoverSmtpAddress, 'alice@contoso.com');
      assert.equal(s.protocols.find((p) => p.type === 'EXCH')?.decodedVersion?.text, '15.20.8048');
      const summary = summarizeSettings(s);
      assert.equal(summary.mapiMailStoreUrl, 'https://outlook.office365.com/mapi/emsmdb/?MailboxId=e4d3c2b1-a098-4765-8f4e-3d2c1b0a9f8e@contoso.com');
      assert.equal(summary.mapiAddressBookUrl, 'https://outlook.office365.com/mapi/nspi/?MailboxId=e4d3c2b1-a098-4765-8f4e-3d2c1b0a9f8e@contoso.com');
      assert.equal(summary.ewsUrl, 'https://outlook.office365.com/EWS/Exchange.asmx');
      assert.equal(summary.microsoftOnline, true);
      assert.ok(!s.notes.some((n) => n.code === 'EXPR_MISSING'), 'no EXPR is normal when mapiHttp is offered');
    },
  },
  'error-600-invalid-request.xml': {
    title: 'error 600 (invalid request), error Response in the base namespace',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'error');
      if (parsed.kind !== 'error') return;
      assert.equal(parsed.code, '600');
      assert.equal(parsed.meaning, 'invalid request');
      assert.equal(parsed.id, '2718281828');
      assert.equal(parsed.time, '09:41:07.5521934');
      assert.deepEqual(parsed.notes, []);
    },
  },
  'error-500-email-address-not-found.xml': {
    title: "error 500 (address can't be found), Error found by local name without a Response namespace declaration",
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'error');
      if (parsed.kind !== 'error') return;
      assert.equal(parsed.code, '500');
      assert.match(parsed.meaning ?? '', /can't be found/);
      assert.equal(parsed.message, "The email address can't be found.");
    },
  },
  'autodv2-success-autodiscoverv1.json': {
    title: 'v2 success: AutodiscoverV1 URL (mailbox served by EXO)',
    check(text) {
      assert.deepEqual(parseV2Response(200, text), { kind: 'url', protocol: 'AutodiscoverV1', url: 'https://outlook.office365.com/autodiscover/autodiscover.xml' });
    },
  },
  'autodv2-error-invalidprotocol.json': {
    title: 'v2 error InvalidProtocol with its message (400)',
    check(text) {
      const r = parseV2Response(400, text);
      assert.equal(r.kind, 'error');
      if (r.kind !== 'error') return;
      assert.equal(r.errorCode, 'InvalidProtocol');
      assert.match(r.errorMessage, /'Imap' is invalid/);
    },
  },
  'http-redirect-method-302.http': {
    title: 'HTTP redirect method: 302 → https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml, a valid next candidate',
    check(text) {
      const msg = parseRawHttpMessage(text);
      assert.equal(msg.status, 302);
      const m = checkRedirectMethodResponse(msg.status!, headerValue(msg.headers, 'location'));
      assert.equal(m.ok, true);
      if (!m.ok) return;
      assert.deepEqual(m.notes, []);
      const base = 'http://autodiscover.contoso.mail.onmicrosoft.com/autodiscover/autodiscover.xml';
      const check = checkUrlRedirect({ location: m.location, base, visited: [], hops: 1 });
      assert.equal(check.ok, true);
      assert.equal(check.ok && check.url, 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml');
    },
  },
  'exo-401-bearer-challenge.http': {
    title: 'EXO 401: a challenge with Bearer (Exchange client_id, any tenant, authorization_uri) and Basic; Exchange headers present',
    check(text) {
      const msg = parseRawHttpMessage(text);
      assert.equal(msg.status, 401);
      const challenges = parseWwwAuthenticate(headerValues(msg.headers, 'www-authenticate'));
      assert.deepEqual(challenges.map((c) => c.name), ['bearer', 'basic']);
      const bearer = describeBearer(challenges[0]);
      assert.equal(bearer.clientId, EXCHANGE_CLIENT_ID);
      assert.equal(bearer.exchangeClientId, true);
      assert.equal(bearer.issuerScope, 'any-tenant');
      assert.equal(bearer.authorizationUri, 'https://login.microsoftonline.com/common/oauth2/authorize');
      assert.deepEqual(bearer.notes, []);
      assert.deepEqual(challenges[1].params, { realm: '' });
      assert.equal(looksLikeExchange(msg.headers), true);
    },
  },
};

test('samples/README.md lists every sample file, and every file has an expectation here', () => {
  const files = fixtureFiles(samplesDir);
  const readme = readFileSync(path.join(samplesDir, 'README.md'), 'utf8');
  for (const f of files) {
    assert.ok(readme.includes(`| ${f} |`), `${f} is not in samples/README.md`);
    assert.ok(expectations[f], `no expectation for samples/${f}: add one to test/autodiscover-samples.test.ts`);
  }
  assert.deepEqual(Object.keys(expectations).sort(), files, 'an expectation names a sample that no longer exists');
});

for (const f of fixtureFiles(samplesDir)) {
  const e = expectations[f];
  test(`samples/${f}: ${e?.title ?? 'MISSING EXPECTATION'}`, () => {
    assert.ok(e, `no expectation for samples/${f}`);
    e.check(readSample(f));
  });
}
