import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildV2Url, canonicalV2Protocol, parseV2Response } from '../packages/core/src/autodiscover/v2.ts';

test("v2 query form percent-encodes '+' and '@' (DERIVED-01: a literal '+' reaches the server as a space)", () => {
  assert.equal(
    buildV2Url('outlook.office365.com', 'first.last+sales@example.com', 'AutodiscoverV1'),
    'https://outlook.office365.com/autodiscover/autodiscover.json?Email=first.last%2Bsales%40example.com&Protocol=AutodiscoverV1',
  );
  assert.equal(
    buildV2Url('autodiscover.contoso.com', 'a&b=c@contoso.com', 'Ews', 'query', { redirectCount: 3 }),
    'https://autodiscover.contoso.com/autodiscover/autodiscover.json?Email=a%26b%3Dc%40contoso.com&Protocol=Ews&RedirectCount=3',
  );
  const url = new URL(buildV2Url('h', 'first.last+sales@example.com', 'Ews'));
  assert.equal(url.searchParams.get('Email'), 'first.last+sales@example.com', 'a server decoding the query gets the address back');
});

test("v2 path form escapes '%', '#', '?', '/' and '@'; '+' stays literal (DERIVED-01)", () => {
  const table: [string, string][] = [
    ["o'neil%test@example.com", "o'neil%25test%40example.com"],
    ['a#b?c/d@example.com', 'a%23b%3Fc%2Fd%40example.com'],
    ['first.last+sales@example.com', 'first.last+sales%40example.com'],
  ];
  for (const [address, segment] of table) {
    assert.equal(buildV2Url('outlook.office365.com', address, 'Ews', 'path'), `https://outlook.office365.com/autodiscover/autodiscover.json/v1.0/${segment}?Protocol=Ews`);
    const parsed = new URL(buildV2Url('h', address, 'Ews', 'path'));
    assert.equal(decodeURIComponent(parsed.pathname.split('/').pop()!), address, 'the path segment decodes to the address');
    assert.equal(parsed.hash, '');
  }
});

test('v2 protocol names: canonical spelling found case-insensitively (BUG-17 "Autodiscoverv1")', () => {
  assert.equal(canonicalV2Protocol('autodiscoverv1'), 'AutodiscoverV1');
  assert.equal(canonicalV2Protocol(' EWS '), 'Ews');
  assert.equal(canonicalV2Protocol('activesync'), 'ActiveSync');
  assert.equal(canonicalV2Protocol('Imap'), 'Imap');
});

test('parseV2Response: url, error, redirect and every invalid reason; never throws', () => {
  const table: [number, string, string | undefined, object][] = [
    [200, '{"Protocol":"Ews","Url":"https://outlook.office365.com/EWS/Exchange.asmx"}', undefined, { kind: 'url', protocol: 'Ews', url: 'https://outlook.office365.com/EWS/Exchange.asmx' }],
    [200, '\uFEFF{"protocol":"ActiveSync","url":" https://x.contoso.com/Microsoft-Server-ActiveSync "}', undefined, { kind: 'url', protocol: 'ActiveSync', url: 'https://x.contoso.com/Microsoft-Server-ActiveSync' }],
    [400, '{"ErrorCode":"InvalidProtocol","ErrorMessage":"bad"}', undefined, { kind: 'error', status: 400, errorCode: 'InvalidProtocol', errorMessage: 'bad' }],
    [200, '{"ErrorCode":"MailboxNotFound"}', undefined, { kind: 'error', status: 200, errorCode: 'MailboxNotFound', errorMessage: '' }],
    [302, '', 'https://autodiscover.contoso.com/autodiscover/autodiscover.json?Email=a%40contoso.com&Protocol=Ews&RedirectCount=1', { kind: 'redirect', status: 302, location: 'https://autodiscover.contoso.com/autodiscover/autodiscover.json?Email=a%40contoso.com&Protocol=Ews&RedirectCount=1' }],
  ];
  for (const [status, body, location, expected] of table) assert.deepEqual(parseV2Response(status, body, location), expected, body);

  const invalid: [number, string, string][] = [
    [404, '<html><body>404 Not Found</body></html>', 'NOT_FOUND'],
    [500, '<html><head><title>Runtime Error</title></head></html>', 'HTTP_STATUS'],
    [302, '', 'HTTP_STATUS'],
    [200, '', 'EMPTY_BODY'],
    [200, '<!DOCTYPE html><html><title>Login</title></html>', 'HTML_PAGE'],
    [200, '<Autodiscover/>', 'NOT_JSON'],
    [200, '{"Protocol":', 'NOT_JSON'],
    [200, '[1,2]', 'UNEXPECTED_JSON'],
    [200, '{"Url":"https://x/"}', 'UNEXPECTED_JSON'],
    [200, '{"__proto__":{"Url":"https://evil/","Protocol":"Ews"}}', 'UNEXPECTED_JSON'],
    [200, '{"Protocol":"Ews","Url":"http://x.contoso.com/EWS/Exchange.asmx"}', 'BAD_URL'],
    [200, '{"Protocol":"Ews","Url":"/EWS/Exchange.asmx"}', 'BAD_URL'],
  ];
  for (const [status, body, reason] of invalid) {
    const r = parseV2Response(status, body);
    assert.equal(r.kind === 'invalid' && r.reason, reason, `${status} ${body}`);
  }
  assert.doesNotThrow(() => parseV2Response(200, undefined as unknown as string));
});

describe('v2 redirect targets are validated like any redirect', () => {
  for (const location of ['javascript:alert(1)', '/relative/path', 'http://onprem.example.com/autodiscover/autodiscover.json', 'https://u:p@onprem.example.com/x']) {
    it(`302 to ${location} → invalid, not a hand-off`, () => {
      const r = parseV2Response(302, '', location);
      assert.equal(r.kind, 'invalid');
    });
  }
});
