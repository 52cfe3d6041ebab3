import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAddressRedirect,
  checkRedirectMethodResponse,
  checkUrlRedirect,
  normalizeUrl,
  registrableDomain,
  sameUrl,
  urlKey,
} from '../packages/core/src/autodiscover/redirect.ts';

const BASE = 'https://autodiscover.contoso.com/autodiscover/autodiscover.xml';
const GOOD = 'https://mail.contoso.com/autodiscover/autodiscover.xml';

test('normalizeUrl: scheme and host lower-cased, default ports dropped, path case and query kept, fragment dropped', () => {
  const table: [string, string][] = [
    ['HTTPS://Autodiscover-S.Outlook.COM:443/Autodiscover/Autodiscover.xml', 'https://autodiscover-s.outlook.com/Autodiscover/Autodiscover.xml'],
    ['http://autodiscover.contoso.com:80/autodiscover/autodiscover.xml', 'http://autodiscover.contoso.com/autodiscover/autodiscover.xml'],
    ['https://h:8443/autodiscover/autodiscover.xml', 'https://h:8443/autodiscover/autodiscover.xml'],
    ['https://h/autodiscover/autodiscover.json?Email=a%40b.com#frag', 'https://h/autodiscover/autodiscover.json?Email=a%40b.com'],
    ['  not a url ', 'not a url'],
  ];
  for (const [input, expected] of table) assert.equal(normalizeUrl(input), expected, input);
});

test('visited-URL comparison is case-insensitive and port-normalised (reference §4.2 step 3–4)', () => {
  assert.equal(sameUrl('https://h:443/Autodiscover/Autodiscover.xml', 'https://H/autodiscover/autodiscover.xml'), true);
  assert.equal(sameUrl('http://h/autodiscover/autodiscover.xml', 'https://h/autodiscover/autodiscover.xml'), false);
  assert.equal(urlKey('https://H:443/A'), 'https://h/a');
});

const refusals: [string, Partial<Parameters<typeof checkUrlRedirect>[0]>, string][] = [
  ['redirect: http target refused (MS-OXDSCLI: never send credentials over http)', { location: 'http://mail.contoso.com/autodiscover/autodiscover.xml' }, 'REDIRECT_NOT_HTTPS'],
  ['redirect: relative Location on an http base stays http and is refused', { location: '/autodiscover/autodiscover.xml', base: 'http://autodiscover.contoso.com/autodiscover/autodiscover.xml' }, 'REDIRECT_NOT_HTTPS'],
  ['redirect: /owa target refused (IIS "redirect to OWA" rule, §4.2 step 3)', { location: 'https://mail.contoso.com/owa' }, 'REDIRECT_BAD_PATH'],
  ['redirect: autodiscover.svc is not the POX path', { location: 'https://mail.contoso.com/autodiscover/autodiscover.svc' }, 'REDIRECT_BAD_PATH'],
  ['redirect: path must end in autodiscover.xml, not merely contain it', { location: 'https://mail.contoso.com/autodiscover/autodiscover.xml.bak' }, 'REDIRECT_BAD_PATH'],
  ['redirect: already visited URL is a loop (case and :443 ignored)', { location: 'https://MAIL.contoso.com:443/Autodiscover/Autodiscover.xml', visited: [GOOD] }, 'REDIRECT_LOOP'],
  ['redirect: the 11th redirect is refused (limit 10, shared counter §4.4)', { location: GOOD, hops: 10 }, 'REDIRECT_LIMIT'],
  ['redirect: a custom limit applies', { location: GOOD, hops: 2, limit: 2 }, 'REDIRECT_LIMIT'],
  ['redirect: unparseable target', { location: 'https://exa mple.com/autodiscover/autodiscover.xml' }, 'REDIRECT_INVALID_URL'],
  ['redirect: empty Location', { location: '  ' }, 'REDIRECT_INVALID_URL'],
  ['redirect: credentials in the URL refused', { location: 'https://user:pass@mail.contoso.com/autodiscover/autodiscover.xml' }, 'REDIRECT_CREDENTIALS_IN_URL'],
];

for (const [name, input, code] of refusals) {
  test(name, () => {
    const r = checkUrlRedirect({ location: GOOD, base: BASE, visited: [BASE], hops: 0, ...input });
    assert.equal(r.ok, false, JSON.stringify(r));
    if (r.ok) return;
    assert.equal(r.code, code);
    assert.ok(r.reason.length > 0);
    // The caller writes "Redirect from X to Y refused: <reason>": the reason must not say it again.
    assert.doesNotMatch(r.reason, /refused|^redirect/i, r.reason);
  });
}

test('redirect: EXO mailbox path /Autodiscover/<mailbox>/Autodiscover.xml accepted (BUG-01, exchangelib #863)', () => {
  const r = checkUrlRedirect({ location: 'https://autodiscover-s.outlook.com:443/Autodiscover/sharedbox@contoso.com/Autodiscover.xml', base: 'https://autodiscover-s.outlook.com/Autodiscover/Autodiscover.xml', visited: [], hops: 3 });
  assert.deepEqual(r, { ok: true, url: 'https://autodiscover-s.outlook.com/Autodiscover/sharedbox@contoso.com/Autodiscover.xml', sameOrigin: true, registrableDomainChanged: false, hop: 4 });
});

test('redirect: relative Location resolved against the request URL (EWS Managed API)', () => {
  const r = checkUrlRedirect({ location: '/Autodiscover/x/Autodiscover.xml', base: BASE, visited: [BASE], hops: 0 });
  assert.equal(r.ok && r.url, 'https://autodiscover.contoso.com/Autodiscover/x/Autodiscover.xml');
  assert.equal(r.ok && r.sameOrigin, true);
});

test('redirect: the 10th redirect is still allowed (hops 9 → hop 10)', () => {
  const r = checkUrlRedirect({ location: GOOD, base: BASE, visited: [], hops: 9 });
  assert.equal(r.ok && r.hop, 10);
});

test('redirect: another registrable domain is flagged (Outlook asks the user), another port is another origin', () => {
  const other = checkUrlRedirect({ location: 'https://autodiscover.hoster.net/autodiscover/autodiscover.xml', base: BASE, visited: [], hops: 0 });
  assert.equal(other.ok && other.registrableDomainChanged, true);
  const port = checkUrlRedirect({ location: 'https://autodiscover.contoso.com:8443/autodiscover/autodiscover.xml', base: BASE, visited: [], hops: 0 });
  assert.equal(port.ok && port.sameOrigin, false);
  assert.equal(port.ok && port.registrableDomainChanged, false);
  assert.equal(registrableDomain('a.b.contoso.com'), 'contoso.com');
  assert.equal(registrableDomain('192.0.2.1'), '192.0.2.1');
});

test('HTTP redirect method: 301/302 plain; 303/307/308 accepted with a note (reference §4.2)', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    const r = checkRedirectMethodResponse(status, ' https://x/autodiscover/autodiscover.xml ');
    assert.equal(r.ok, true, String(status));
    if (!r.ok) continue;
    assert.equal(r.location, 'https://x/autodiscover/autodiscover.xml');
    assert.equal(r.notes.length, status <= 302 ? 0 : 1, String(status));
  }
});

test('HTTP redirect method: 2xx is "a positive HTTP response other than a redirect" (RCA wording)', () => {
  const r = checkRedirectMethodResponse(200, undefined);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.code, 'REDIRECT_METHOD_POSITIVE_RESPONSE');
    assert.match(r.reason, /positive HTTP response other than a redirect/);
  }
});

test('HTTP redirect method: 3xx without Location, 304, 403, 404 are not redirects', () => {
  const table: [number, string | undefined, string][] = [
    [302, undefined, 'REDIRECT_METHOD_NO_LOCATION'],
    [301, '', 'REDIRECT_METHOD_NO_LOCATION'],
    [304, 'https://x/autodiscover/autodiscover.xml', 'REDIRECT_METHOD_NOT_REDIRECT'],
    [403, undefined, 'REDIRECT_METHOD_NOT_REDIRECT'],
    [404, undefined, 'REDIRECT_METHOD_NOT_REDIRECT'],
  ];
  for (const [status, location, code] of table) {
    const r = checkRedirectMethodResponse(status, location);
    assert.equal(r.ok === false && r.code, code, String(status));
  }
});

const addressCases: [string, Partial<Parameters<typeof checkAddressRedirect>[0]>, string][] = [
  ['redirectAddr: invalid address refused (reference §4.3)', { target: 'not-an-address' }, 'REDIRECT_ADDR_INVALID'],
  ['redirectAddr: empty target refused', { target: '' }, 'REDIRECT_ADDR_INVALID'],
  ['redirectAddr: same address refused, case-insensitively (Learn: treat the URL as invalid)', { target: 'ALICE@Contoso.com' }, 'REDIRECT_ADDR_SAME'],
  ['redirectAddr: an address already tried is a loop, case-insensitively', { target: 'Alice@Contoso.mail.onmicrosoft.com', visitedAddresses: ['alice@contoso.com', 'alice@contoso.mail.onmicrosoft.com'] }, 'REDIRECT_ADDR_LOOP'],
  ['redirectAddr: limit shared with URL redirects', { target: 'alice@contoso.mail.onmicrosoft.com', hops: 10 }, 'REDIRECT_LIMIT'],
];

for (const [name, input, code] of addressCases) {
  test(name, () => {
    const r = checkAddressRedirect({ current: 'alice@contoso.com', target: 'alice@contoso.mail.onmicrosoft.com', visitedAddresses: ['alice@contoso.com'], hops: 0, ...input });
    assert.equal(r.ok, false, JSON.stringify(r));
    if (!r.ok) assert.equal(r.code, code, r.reason);
    if (!r.ok) assert.doesNotMatch(r.reason, /refused|^redirect/i, r.reason);
  });
}

test('redirectAddr: accepted target is normalised; tenantRouting tells the hybrid hand-off apart', () => {
  const hybrid = checkAddressRedirect({ current: 'alice@contoso.com', target: ' alice@Contoso.Mail.OnMicrosoft.com ', visitedAddresses: ['alice@contoso.com'], hops: 1 });
  assert.deepEqual(hybrid, { ok: true, address: 'alice@contoso.mail.onmicrosoft.com', domain: 'contoso.mail.onmicrosoft.com', tenantRouting: true, hop: 2 });
  const elsewhere = checkAddressRedirect({ current: 'alice@contoso.com', target: 'alice@fabrikam.com', visitedAddresses: [], hops: 0 });
  assert.equal(elsewhere.ok && elsewhere.tenantRouting, false);
});
