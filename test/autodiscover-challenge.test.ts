import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeBearer,
  exchangeMarkers,
  extractAadstsCodes,
  getHeader,
  getHeaderValues,
  isTruthyHeader,
  looksLikeExchange,
  offersScheme,
  parseWwwAuthenticate,
} from '../packages/core/src/autodiscover/challenge.ts';

test('WWW-Authenticate: quoted commas do not split challenges (reference §5.2: `Bearer a="x,y", b="z",Basic Realm=""`)', () => {
  assert.deepEqual(parseWwwAuthenticate(['Bearer a="x,y", b="z",Basic Realm=""']), [
    { scheme: 'Bearer', name: 'bearer', params: { a: 'x,y', b: 'z' }, standard: true },
    { scheme: 'Basic', name: 'basic', params: { realm: '' }, standard: true },
  ]);
});

test('WWW-Authenticate: several header values and comma-joined values give the same list', () => {
  const separate = parseWwwAuthenticate(['Negotiate', 'NTLM', 'Basic realm="autodiscover.contoso.com"']);
  const joined = parseWwwAuthenticate('Negotiate, NTLM, Basic realm="autodiscover.contoso.com"');
  assert.deepEqual(joined, separate);
  assert.deepEqual(separate.map((c) => c.scheme), ['Negotiate', 'NTLM', 'Basic']);
});

test('WWW-Authenticate: token68 (Negotiate/NTLM continuation), escaped quotes, spaces around "=", empty items', () => {
  const table: [string, { scheme: string; params?: Record<string, string>; token68?: string }[]][] = [
    ['Negotiate oYIBCzCCAQegAwoBAaEL==', [{ scheme: 'Negotiate', token68: 'oYIBCzCCAQegAwoBAaEL==' }]],
    ['NTLM TlRMTVNTUAACAAAA', [{ scheme: 'NTLM', token68: 'TlRMTVNTUAACAAAA' }]],
    ['Basic realm="a \\"quoted\\" realm, really"', [{ scheme: 'Basic', params: { realm: 'a "quoted" realm, really' } }]],
    ['Bearer realm = "x" , error="invalid_token"', [{ scheme: 'Bearer', params: { realm: 'x', error: 'invalid_token' } }]],
    [' , Basic,, ', [{ scheme: 'Basic' }]],
    ['Digest realm="r", qop="auth,auth-int", nonce="n", Basic', [{ scheme: 'Digest', params: { realm: 'r', qop: 'auth,auth-int', nonce: 'n' } }, { scheme: 'Basic' }]],
    ['Bearer Realm="R", __proto__="x"', [{ scheme: 'Bearer', params: { realm: 'R' } }]],
  ];
  for (const [value, expected] of table) {
    const got = parseWwwAuthenticate([value]).map((c) => ({ scheme: c.scheme, ...(Object.keys(c.params).length ? { params: c.params } : {}), ...(c.token68 ? { token68: c.token68 } : {}) }));
    assert.deepEqual(got, expected, value);
  }
  assert.deepEqual(parseWwwAuthenticate(undefined), []);
  assert.deepEqual(parseWwwAuthenticate([]), []);
});

test('WWW-Authenticate: non-standard schemes flagged (BUG-07 "Kerberos")', () => {
  const [kerberos, custom, ntlm] = parseWwwAuthenticate(['Kerberos', 'X-Proxy-Auth realm="p"', 'NTLM']);
  assert.equal(kerberos.standard, false);
  assert.match(kerberos.note!, /Negotiate/);
  assert.equal(custom.standard, false);
  assert.match(custom.note!, /not a registered/);
  assert.equal(ntlm.standard, true);
  assert.equal(ntlm.note, undefined);
  assert.equal(offersScheme([kerberos, ntlm], 'ntlm'), true);
  assert.equal(offersScheme([kerberos, ntlm], 'Basic'), false);
});

test('describeBearer: on-premises hybrid modern auth (tenant GUID issuer) vs Exchange Online (any tenant)', () => {
  const [onprem] = parseWwwAuthenticate([
    'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@3F1E2D3C-4B5A-6978-8A9B-0C1D2E3F4A5B", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.windows.net/common/oauth2/authorize"',
  ]);
  const info = describeBearer(onprem);
  assert.equal(info.issuerScope, 'tenant');
  assert.equal(info.tenantId, '3f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b');
  assert.equal(info.exchangeClientId, true);
  assert.deepEqual(info.notes, []);
  const [exo] = parseWwwAuthenticate(['Bearer trusted_issuers="00000001-0000-0000-c000-000000000000@*", client_id="00000002-0000-0ff1-ce00-000000000000", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"']);
  assert.equal(describeBearer(exo).issuerScope, 'any-tenant');
});

test('describeBearer: missing authorization_uri noted (EvoSTS not the default auth server), error surfaced', () => {
  const [ch] = parseWwwAuthenticate(['Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@3f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", error="invalid_token"']);
  const info = describeBearer(ch);
  assert.equal(info.error, 'invalid_token');
  assert.deepEqual(info.notes.map((n) => n.code), ['BEARER_NO_AUTHORIZATION_URI', 'BEARER_ERROR']);
  const [basic] = parseWwwAuthenticate(['Basic realm="x"']);
  assert.deepEqual(describeBearer(basic).notes.map((n) => n.code), ['NOT_BEARER']);
  assert.equal(describeBearer(basic).issuerScope, 'none');
});

test('looksLikeExchange: Exchange markers in any header shape, names case-insensitive (BUG-15)', () => {
  assert.equal(looksLikeExchange([['X-FEServer', 'AB1PR02CA0123']]), true);
  assert.equal(looksLikeExchange({ 'x-calculatedbetarget': 'AB1PR01MB2345.eurprd01.prod.outlook.com' }), true);
  assert.equal(looksLikeExchange(new Map([['Request-Id', 'x']])), true);
  assert.equal(looksLikeExchange(new Headers({ 'X-OWA-Version': '15.20.8048.20' })), true);
  assert.equal(looksLikeExchange({ server: 'nginx', 'x-powered-by': 'PHP' }), false);
  assert.equal(looksLikeExchange([]), false);
  assert.deepEqual(exchangeMarkers([['X-DiagInfo', 'a'], ['X-BEServer', 'b'], ['request-id', 'c']]), ['request-id', 'x-beserver', 'x-diaginfo']);
});

test('getHeader / getHeaderValues: case-insensitive, repeated headers kept', () => {
  const raw: [string, string][] = [['WWW-Authenticate', 'Negotiate'], ['www-authenticate', 'NTLM'], ['Content-Type', 'text/xml']];
  assert.deepEqual(getHeaderValues(raw, 'WWW-AUTHENTICATE'), ['Negotiate', 'NTLM']);
  assert.equal(getHeader({ 'set-cookie': ['a=1', 'b=2'] }, 'Set-Cookie'), 'a=1, b=2');
  assert.equal(getHeader(raw, 'location'), undefined);
});

test('isTruthyHeader: True/true/ TRUE  (BUG-15); anything else false', () => {
  for (const v of ['True', 'true', ' TRUE ', '\ttrue']) assert.equal(isTruthyHeader(v), true, v);
  for (const v of ['False', 'yes', '1', '', undefined]) assert.equal(isTruthyHeader(v), false, String(v));
});

test('extractAadstsCodes: distinct codes in order, known ones explained (BUG-20)', () => {
  const body = 'AADSTS53003: Access has been blocked by Conditional Access policies. ... AADSTS50076 ... AADSTS53003 again, AADSTS90072';
  const codes = extractAadstsCodes(body);
  assert.deepEqual(codes.map((c) => c.code), ['AADSTS53003', 'AADSTS50076', 'AADSTS90072']);
  assert.match(codes[0].meaning!, /Conditional Access/);
  assert.match(codes[1].meaning!, /multi-factor/);
  assert.equal(codes[2].meaning, undefined);
  assert.match(extractAadstsCodes('AADSTS50079')[0].meaning!, /register/);
  assert.deepEqual(extractAadstsCodes(''), []);
});
