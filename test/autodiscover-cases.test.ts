/**
 * Regression tests for ../shared/cases/: every response body (the .xml/.json files and the bodies
 * inside the .txt transcripts) through the pure Autodiscover logic, with the verdict-relevant
 * assertion from cases/README.md. The directory is read, so a new case file without an
 * expectation here fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressKey,
  buildPoxRequest,
  buildV2Url,
  canonicalV2Protocol,
  checkAddressRedirect,
  checkRedirectMethodResponse,
  checkUrlRedirect,
  describeBearer,
  EXCHANGE_CLIENT_ID,
  exchangeMarkers,
  extractAadstsCodes,
  getHeader,
  isTruthyHeader,
  looksLikeExchange,
  normalizeUrl,
  offersScheme,
  parseAddress,
  parseAutodiscoverResponse,
  parseV2Response,
  parseWwwAuthenticate,
  POX_CONTENT_TYPE,
  POX_REQUEST_HEADERS,
  summarizeSettings,
  urlKey,
} from '../packages/core/src/autodiscover/index.ts';
import type { ParsedResponse, SettingsResponse } from '../packages/core/src/autodiscover/index.ts';
import { bug21Variants, casesDir, fixtureFiles, indentedHeaders, readCase } from './utils/autodiscover-fixtures.ts';
import { extractTranscriptResponses, headerValue, headerValues } from './utils/raw-http.ts';
import type { TranscriptResponse } from './utils/raw-http.ts';

const XML = 'text/xml; charset=utf-8';

function settings(parsed: ParsedResponse): SettingsResponse {
  assert.equal(parsed.kind, 'settings', `expected settings, got ${JSON.stringify(parsed)}`);
  return parsed as SettingsResponse;
}

function invalid(parsed: ParsedResponse, reason: string, title?: string): void {
  assert.equal(parsed.kind, 'invalid', `expected invalid/${reason}, got ${JSON.stringify(parsed)}`);
  if (parsed.kind !== 'invalid') return;
  assert.equal(parsed.reason, reason, parsed.detail);
  if (title !== undefined) assert.equal(parsed.title, title);
}

function responses(file: string, count: number): TranscriptResponse[] {
  const rs = extractTranscriptResponses(readCase(file));
  assert.equal(rs.length, count, `${file}: expected ${count} transcript responses`);
  return rs;
}

function contentType(r: TranscriptResponse): string | undefined {
  return headerValue(r.headers, 'content-type');
}

const expectations: Record<string, { title: string; check: (text: string) => void }> = {
  'BASELINE-settings-expr.xml': {
    title: 'settings; EWS from EXPR (external), EXCH internal names beside EXPR are not flagged',
    check(text) {
      const s = settings(parseAutodiscoverResponse(text, XML));
      assert.deepEqual(s.protocols.map((p) => p.type), ['EXCH', 'EXPR', 'WEB']);
      assert.equal(summarizeSettings(s).ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
      assert.deepEqual(s.notes, []);
    },
  },
  'BUG-01-o365-302-mailbox-path.txt': {
    title: '302 on POST to :443 mailbox path → accepted, same origin (https://h:443/ ≡ https://h/)',
    check(text) {
      const [r] = responses('BUG-01-o365-302-mailbox-path.txt', 1);
      assert.equal(r.status, 302);
      const base = `https://${headerValue(r.request!.headers, 'host')}${r.request!.target}`;
      const location = headerValue(r.headers, 'location')!;
      const check = checkUrlRedirect({ location, base, visited: [base], hops: 0 });
      assert.deepEqual(check, {
        ok: true,
        url: 'https://autodiscover-s.outlook.com/Autodiscover/sharedbox/Autodiscover.xml',
        sameOrigin: true,
        registrableDomainChanged: false,
        hop: 1,
      });
      assert.equal(normalizeUrl(location), normalizeUrl('https://autodiscover-s.outlook.com/Autodiscover/sharedbox/Autodiscover.xml'));
      assert.match(text, /BASELINE-settings-expr\.xml/, 'follow-up answer is the baseline');
    },
  },
  'BUG-02-http-redirect-301.txt': {
    title: 'HTTP redirect method: 301, 302, 307, 308 are redirects (307/308 noted); target https on another domain',
    check() {
      const [r] = responses('BUG-02-http-redirect-301.txt', 1);
      assert.equal(r.status, 301);
      assert.equal(headerValue(r.request!.headers, 'authorization'), undefined, 'no credentials on the port-80 GET');
      const location = headerValue(r.headers, 'location');
      for (const status of [301, 302, 307, 308]) {
        const m = checkRedirectMethodResponse(status, location);
        assert.equal(m.ok, true, `HTTP ${status} is a redirect`);
        if (!m.ok) continue;
        assert.deepEqual(m.notes.map((n) => n.code), status === 301 || status === 302 ? [] : ['REDIRECT_STATUS_UNUSUAL']);
      }
      const base = `http://${headerValue(r.request!.headers, 'host')}${r.request!.target}`;
      const check = checkUrlRedirect({ location: location!, base, visited: [], hops: 0 });
      assert.equal(check.ok, true);
      assert.equal(check.ok && check.sameOrigin, false);
      assert.equal(check.ok && check.registrableDomainChanged, true, 'example.com → example-hoster.net');
      invalid(parseAutodiscoverResponse(r.body, contentType(r)), 'HTML_PAGE', '301 Moved Permanently');
    },
  },
  'BUG-05-root-domain-cert-mismatch.txt': {
    title: 'TLS-layer scenario (no HTTP body in the transcript); the follow-up baseline parses as settings',
    check(text) {
      responses('BUG-05-root-domain-cert-mismatch.txt', 0);
      assert.match(text, /BASELINE-settings-expr\.xml/);
      settings(parseAutodiscoverResponse(readCase('BASELINE-settings-expr.xml'), XML));
    },
  },
  'BUG-06-expr-missing-exch-only.xml': {
    title: 'settings without EXPR: EXPR_MISSING + INTERNAL_HOST (.local), EXCH EwsUrl as fallback, no throw',
    check(text) {
      const s = settings(parseAutodiscoverResponse(text, XML));
      const codes = s.notes.map((n) => n.code);
      assert.ok(codes.includes('EXPR_MISSING'), codes.join());
      const internal = s.notes.find((n) => n.code === 'INTERNAL_HOST');
      assert.ok(internal);
      assert.match(internal.detail, /ex01\.corp\.example\.local/);
      assert.match(internal.detail, /EXCH EwsUrl/);
      const summary = summarizeSettings(s);
      assert.equal(summary.ewsUrl, 'https://ex01.corp.example.local/EWS/Exchange.asmx');
      assert.equal(summary.protocols[0].decodedVersion, '14.1.218');
    },
  },
  'BUG-07-proxy-401-html-multi-auth.txt': {
    title: 'proxy 401: four schemes, Kerberos flagged, no Exchange markers, HTML body named',
    check() {
      const [r] = responses('BUG-07-proxy-401-html-multi-auth.txt', 1);
      assert.equal(r.status, 401);
      assert.match(r.reason!, /Proxy requires authorization/, 'non-standard reason phrase kept');
      const challenges = parseWwwAuthenticate(headerValues(r.headers, 'www-authenticate'));
      assert.deepEqual(challenges.map((c) => c.scheme), ['Negotiate', 'Kerberos', 'NTLM', 'Basic']);
      assert.deepEqual(challenges.map((c) => c.standard), [true, false, true, true]);
      assert.match(challenges[1].note!, /not an HTTP authentication scheme/);
      assert.deepEqual(challenges[3].params, { realm: 'autodiscover.example.com' });
      assert.equal(looksLikeExchange(r.headers), false);
      assert.deepEqual(exchangeMarkers(r.headers), []);
      invalid(parseAutodiscoverResponse(r.body, contentType(r)), 'HTML_PAGE', 'Access denied');
    },
  },
  'BUG-08-html-200-page.txt': {
    title: 'HTML 200 page ("&subset"): HTML_PAGE with the title, whatever the Content-Type, never a throw',
    check() {
      const [r] = responses('BUG-08-html-200-page.txt', 1);
      for (const ct of [contentType(r), XML, undefined]) invalid(parseAutodiscoverResponse(r.body, ct), 'HTML_PAGE', 'Example Corp - Welcome');
      // Without the doctype line the page still starts with <html>.
      invalid(parseAutodiscoverResponse(r.body.replace(/^<!DOCTYPE html>\n/, ''), XML), 'HTML_PAGE', 'Example Corp - Welcome');
      // Cut off before </html>: still a web page, not a parser error.
      invalid(parseAutodiscoverResponse(r.body.slice(0, r.body.indexOf('&subset')), XML), 'HTML_PAGE', 'Example Corp - Welcome');
    },
  },
  'BUG-08-html-404-page.txt': {
    title: 'HTML 404 page: HTML_PAGE "404 Not Found"',
    check() {
      const [r] = responses('BUG-08-html-404-page.txt', 1);
      assert.equal(r.status, 404);
      invalid(parseAutodiscoverResponse(r.body, contentType(r)), 'HTML_PAGE', '404 Not Found');
    },
  },
  'BUG-09-errorcode-600.xml': {
    title: 'ErrorCode 600 → invalid request, Id and Time kept for log correlation',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'error');
      if (parsed.kind !== 'error') return;
      assert.deepEqual([parsed.code, parsed.meaning, parsed.id, parsed.time], ['600', 'invalid request', '1234567890', '10:15:42.1234567']);
    },
  },
  'BUG-10-errorcode-500.xml': {
    title: 'ErrorCode 500 → address not found (not "invalid request")',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'error');
      if (parsed.kind !== 'error') return;
      assert.equal(parsed.code, '500');
      assert.match(parsed.meaning!, /can't be found/);
      assert.equal(parsed.message, "The e-mail address can't be found.");
    },
  },
  'BUG-10-errorcode-603.xml': {
    title: 'ErrorCode 603 → internal server error, Message shown',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'error');
      if (parsed.kind !== 'error') return;
      assert.deepEqual([parsed.code, parsed.meaning, parsed.message, parsed.id, parsed.time], ['603', 'internal server error', 'Server Error', '987654321', '14:02:19']);
    },
  },
  'BUG-11-redirectaddr-hybrid.xml': {
    title: 'redirectAddr → user1@exampletenant.mail.onmicrosoft.com: followed, tenant routing; same address refused',
    check(text) {
      const parsed = parseAutodiscoverResponse(text, XML);
      assert.equal(parsed.kind, 'redirectAddr');
      if (parsed.kind !== 'redirectAddr') return;
      assert.equal(parsed.address, 'user1@exampletenant.mail.onmicrosoft.com');
      const check = checkAddressRedirect({ current: 'user1@example.com', target: parsed.address, visitedAddresses: ['user1@example.com'], hops: 0 });
      assert.equal(check.ok, true);
      assert.equal(check.ok && check.tenantRouting, true);
      const same = checkAddressRedirect({ current: 'user1@example.com', target: 'USER1@Example.com', visitedAddresses: [], hops: 0 });
      assert.equal(same.ok === false && same.code, 'REDIRECT_ADDR_SAME');
    },
  },
  'BUG-14-path-case-sensitive.txt': {
    title: 'path spellings: all three accepted as Autodiscover paths and one visited-URL key; 404 bodies named',
    check() {
      const rs = responses('BUG-14-path-case-sensitive.txt', 3);
      assert.equal(rs[0].bodyRef, 'BASELINE-settings-expr.xml');
      settings(parseAutodiscoverResponse(readCase(rs[0].bodyRef!), XML));
      const urls = rs.map((r) => `https://${headerValue(r.request!.headers, 'host')}${r.request!.target}`);
      for (const url of urls) assert.equal(checkUrlRedirect({ location: url, base: 'https://example.com/', visited: [], hops: 0 }).ok, true, url);
      assert.equal(new Set(urls.map(urlKey)).size, 1);
      invalid(parseAutodiscoverResponse(rs[1].body, contentType(rs[1])), 'HTML_PAGE');
      invalid(parseAutodiscoverResponse(rs[2].body, contentType(rs[2])), 'EMPTY_BODY');
    },
  },
  'BUG-15-header-case.txt': {
    title: 'header names case-insensitive (Node lower-cases them), True/true/TRUE/" True " truthy',
    check() {
      const [r] = responses('BUG-15-header-case.txt', 1);
      const lowered = Object.fromEntries(r.headers.map(([n, v]) => [n.toLowerCase(), v]));
      for (const headers of [r.headers, lowered]) {
        for (const name of ['X-SOAP-Enabled', 'X-WSSecurity-Enabled', 'X-OAuth-Enabled']) assert.equal(isTruthyHeader(getHeader(headers, name)), true, name);
      }
      for (const v of ['true', 'TRUE', ' True ']) assert.equal(isTruthyHeader(v), true, v);
      for (const v of ['False', '', undefined]) assert.equal(isTruthyHeader(v), false, String(v));
    },
  },
  'BUG-16-http-redirect-403.txt': {
    title: 'HTTP redirect method answered 403: not a redirect ("not configured"), body named',
    check() {
      const [r] = responses('BUG-16-http-redirect-403.txt', 1);
      const m = checkRedirectMethodResponse(r.status!, headerValue(r.headers, 'location'));
      assert.equal(m.ok, false);
      if (m.ok) return;
      assert.equal(m.code, 'REDIRECT_METHOD_NOT_REDIRECT');
      assert.match(m.reason, /403/);
      invalid(parseAutodiscoverResponse(r.body, contentType(r)), 'HTML_PAGE');
    },
  },
  'BUG-17-v2-invalid-protocol.json': {
    title: 'v2 400 InvalidProtocol; the canonical spelling is AutodiscoverV1',
    check(text) {
      const r = parseV2Response(400, text);
      assert.equal(r.kind, 'error');
      assert.equal(r.kind === 'error' && r.errorCode, 'InvalidProtocol');
      assert.equal(canonicalV2Protocol('Autodiscoverv1'), 'AutodiscoverV1');
    },
  },
  'BUG-17-v2-scenario.txt': {
    title: 'v2 scenario: query URLs as built, 400 error JSON, 200 URL, 404 = v2 unsupported, path form',
    check() {
      const [a400, a200, b404, c200] = responses('BUG-17-v2-scenario.txt', 4);
      const target = (u: string): string => u.slice(u.indexOf('/autodiscover/'));
      assert.equal(target(buildV2Url('autodiscover.example.com', 'user1@example.com', 'Autodiscoverv1', 'query', { redirectCount: 1 })), a400.request!.target);
      assert.equal(target(buildV2Url('autodiscover.example.com', 'user1@example.com', 'AutodiscoverV1', 'query', { redirectCount: 1 })), a200.request!.target);
      const e = parseV2Response(a400.status!, readCase(a400.bodyRef!));
      assert.equal(e.kind === 'error' && e.errorCode, 'InvalidProtocol');
      assert.deepEqual(parseV2Response(a200.status!, a200.body), { kind: 'url', protocol: 'AutodiscoverV1', url: 'https://mail.example.com/Autodiscover/Autodiscover.xml' });
      const missing = parseV2Response(b404.status!, b404.body);
      assert.equal(missing.kind === 'invalid' && missing.reason, 'NOT_FOUND');
      // Path form: we escape '@' as well; the server decodes both spellings to the same path.
      assert.equal(decodeURIComponent(target(buildV2Url('h', 'user1@example.com', 'Ews', 'path'))), decodeURIComponent(c200.request!.target));
      assert.deepEqual(parseV2Response(c200.status!, c200.body), { kind: 'url', protocol: 'Ews', url: 'https://mail.example.com/EWS/Exchange.asmx' });
    },
  },
  'BUG-19-o365-basic-disabled.txt': {
    title: 'EXO with Basic off: only Bearer offered (authorization_uri, Exchange resource); v2 still gives the EWS URL',
    check() {
      const [r401, v2] = responses('BUG-19-o365-basic-disabled.txt', 2);
      const challenges = parseWwwAuthenticate(headerValues(r401.headers, 'www-authenticate'));
      assert.deepEqual(challenges.map((c) => c.name), ['bearer']);
      assert.equal(offersScheme(challenges, 'Basic'), false);
      const bearer = describeBearer(challenges[0]);
      assert.equal(bearer.authorizationUri, 'https://login.microsoftonline.com/common/oauth2/authorize');
      assert.equal(bearer.resourceId, EXCHANGE_CLIENT_ID);
      assert.equal(bearer.clientId, undefined);
      assert.deepEqual(parseV2Response(v2.status!, v2.body), { kind: 'url', protocol: 'EWS', url: 'https://outlook.office365.com/EWS/Exchange.asmx' });
    },
  },
  'BUG-20-http-456-mfa.txt': {
    title: 'HTTP 456 without reason phrase: AADSTS50076 extracted (MFA required), body not a crash',
    check(text) {
      const [r] = responses('BUG-20-http-456-mfa.txt', 1);
      assert.equal(r.status, 456);
      assert.equal(r.reason, '');
      const codes = extractAadstsCodes(r.body);
      assert.deepEqual(codes.map((c) => c.code), ['AADSTS50076']);
      assert.match(codes[0].meaning!, /multi-factor/);
      // The comparison codes named in the case file are in the table too.
      for (const other of [50079, 53003]) {
        assert.match(text, new RegExp(`AADSTS${other}`));
        assert.ok(extractAadstsCodes(`AADSTS${other}`)[0].meaning, String(other));
      }
      invalid(parseAutodiscoverResponse(r.body, contentType(r)), 'HTML_PAGE');
    },
  },
  'BUG-21-content-type-variants.txt': {
    title: 'request sends exactly "text/xml; charset=utf-8"; all six response types parse; text/html and missing noted; EwsUrl trimmed',
    check(text) {
      assert.equal(POX_CONTENT_TYPE, 'text/xml; charset=utf-8');
      assert.deepEqual(POX_REQUEST_HEADERS, { 'Content-Type': 'text/xml; charset=utf-8' });
      assert.match(text, /accepted :\s+Content-Type: text\/xml; charset=utf-8\n/);
      const { contentTypes, prettyEwsUrl } = bug21Variants(text);
      assert.equal(contentTypes.length, 6);
      const baseline = readCase('BASELINE-settings-expr.xml');
      for (const ct of contentTypes) {
        const s = settings(parseAutodiscoverResponse(baseline, ct));
        const codes = s.notes.map((n) => n.code);
        const expected = ct === undefined ? ['CONTENT_TYPE_MISSING'] : ct.startsWith('text/html') ? ['CONTENT_TYPE_HTML'] : [];
        assert.deepEqual(codes, expected, `Content-Type ${ct}`);
      }
      const exprEws = '<EwsUrl>https://mail.example.com/EWS/Exchange.asmx</EwsUrl>';
      const start = baseline.indexOf('<Type>EXPR</Type>');
      const pretty = baseline.slice(0, start) + baseline.slice(start).replace(exprEws, prettyEwsUrl);
      assert.notEqual(pretty, baseline);
      const s = settings(parseAutodiscoverResponse(pretty, XML));
      assert.equal(s.protocols.find((p) => p.type === 'EXPR')?.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
      assert.equal(summarizeSettings(s).ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
    },
  },
  'BUG-23-wrong-password.txt': {
    title: '401 from a real Exchange: Negotiate/NTLM/Basic and Exchange markers (X-FEServer, request-id)',
    check(text) {
      const headers = indentedHeaders(text, 'Step 2', 'Step 3');
      const challenges = parseWwwAuthenticate(headerValues(headers, 'www-authenticate'));
      assert.deepEqual(challenges.map((c) => c.name), ['negotiate', 'ntlm', 'basic']);
      assert.ok(challenges.every((c) => c.standard));
      assert.equal(looksLikeExchange(headers), true);
      assert.deepEqual(exchangeMarkers(headers), ['request-id', 'x-feserver']);
    },
  },
  'BUG-24-empty-200.txt': {
    title: '200 with empty body, whitespace, or a lone XML declaration → EMPTY_BODY, never a parser error',
    check(text) {
      const [r] = responses('BUG-24-empty-200.txt', 1);
      assert.equal(r.body, '');
      invalid(parseAutodiscoverResponse(r.body, contentType(r)), 'EMPTY_BODY');
      invalid(parseAutodiscoverResponse('', 'text/html'), 'EMPTY_BODY');
      invalid(parseAutodiscoverResponse(' \r\n\t \n', XML), 'EMPTY_BODY');
      const declaration = /<\?xml[^>]*\?>/.exec(text)![0];
      invalid(parseAutodiscoverResponse(declaration, XML), 'EMPTY_BODY');
      invalid(parseAutodiscoverResponse(`\uFEFF${declaration}\r\n`, XML), 'EMPTY_BODY');
    },
  },
  'DERIVED-01-plus-address.txt': {
    title: "'+' literal in POX, %2B/%40 in v2 query, path form escapes %, @; domain lower-cased, local kept; loop check case-insensitive",
    check(text) {
      const input = /Input address: (\S+)/.exec(text)![1];
      const pox = /(<EMailAddress>.*<\/EMailAddress>)/.exec(text)![1];
      assert.ok(buildPoxRequest(input).includes(pox));
      const correct = /correct : (\S+)/.exec(text)![1];
      const wrong = /wrong\s+: (\S+)/.exec(text)![1];
      const query = buildV2Url('autodiscover.example.com', input, 'EWS', 'query');
      assert.equal(query.slice(query.indexOf('/autodiscover/')), correct);
      assert.notEqual(query.slice(query.indexOf('/autodiscover/')), wrong);
      const [, pathInput, pathExpected] = /input\s+: (\S+)\s+->\s+must become (\S+)/.exec(text)!;
      assert.ok(buildV2Url('autodiscover.example.com', pathInput, 'EWS', 'path').endsWith(pathExpected), buildV2Url('h', pathInput, 'EWS', 'path'));
      const parsed = parseAddress('User1@Example.COM');
      assert.deepEqual(parsed, { ok: true, address: 'User1@example.com', local: 'User1', domain: 'example.com' });
      assert.equal(addressKey('User1@Example.COM'), 'user1@example.com');
      const loop = checkAddressRedirect({ current: 'user1@example.mail.onmicrosoft.com', target: 'USER1@EXAMPLE.COM', visitedAddresses: ['user1@example.com'], hops: 1 });
      assert.equal(loop.ok === false && loop.code, 'REDIRECT_ADDR_LOOP');
    },
  },
};

test('every case file has an expectation here, and every expectation a case file', () => {
  const files = fixtureFiles(casesDir);
  for (const f of files) assert.ok(expectations[f], `no expectation for cases/${f}: add one to test/autodiscover-cases.test.ts`);
  assert.deepEqual(Object.keys(expectations).sort(), files);
});

for (const f of fixtureFiles(casesDir)) {
  const e = expectations[f];
  test(`${f}: ${e?.title ?? 'MISSING EXPECTATION'}`, () => {
    assert.ok(e, `no expectation for cases/${f}`);
    e.check(readCase(f));
  });
}
