import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey, isTenantRoutingDomain, parseAddress, sameAddress } from '../packages/core/src/autodiscover/address.ts';

const accepted: [string, string, { address: string; local: string; domain: string; unicodeDomain?: string }][] = [
  ['plain address', 'alice@contoso.com', { address: 'alice@contoso.com', local: 'alice', domain: 'contoso.com' }],
  ['surrounding whitespace trimmed', '  alice@contoso.com \t', { address: 'alice@contoso.com', local: 'alice', domain: 'contoso.com' }],
  ['domain lower-cased, local part kept (DERIVED-01)', 'User1@Example.COM', { address: 'User1@example.com', local: 'User1', domain: 'example.com' }],
  ["plus address: '+' kept (DERIVED-01)", 'first.last+sales@example.com', { address: 'first.last+sales@example.com', local: 'first.last+sales', domain: 'example.com' }],
  ['split at the last @ (quoted local part)', '"a@b"@contoso.com', { address: '"a@b"@contoso.com', local: '"a@b"', domain: 'contoso.com' }],
  ['full-width letters mapped (UTS #46)', 'alice@ＣＯＮＴＯＳＯ.com', { address: 'alice@contoso.com', local: 'alice', domain: 'contoso.com' }],
  ['IDN domain converted to A-label', 'anna@bücher.example', { address: 'anna@xn--bcher-kva.example', local: 'anna', domain: 'xn--bcher-kva.example', unicodeDomain: 'bücher.example' }],
  ['A-label domain accepted as is', 'anna@xn--bcher-kva.example', { address: 'anna@xn--bcher-kva.example', local: 'anna', domain: 'xn--bcher-kva.example' }],
  ['hyphen inside a label', 'a@my-company.co.uk', { address: 'a@my-company.co.uk', local: 'a', domain: 'my-company.co.uk' }],
  ['local part of exactly 64 characters', `${'x'.repeat(64)}@contoso.com`, { address: `${'x'.repeat(64)}@contoso.com`, local: 'x'.repeat(64), domain: 'contoso.com' }],
];

for (const [name, input, expected] of accepted) {
  test(`parseAddress accepts: ${name}`, () => {
    assert.deepEqual(parseAddress(input), { ok: true, ...expected });
  });
}

const refused: [string, string, RegExp][] = [
  ['empty', '   ', /empty/],
  ['no @', 'alice.contoso.com', /no '@'/],
  ['empty local part', '@contoso.com', /before the @ is empty/],
  ['local part over 64 characters (RFC 5321)', `${'x'.repeat(65)}@contoso.com`, /65 characters.*at most 64/],
  ['empty domain', 'alice@', /domain after the @ is empty/],
  ['single-label domain', 'alice@contoso', /at least two labels/],
  ['empty label', 'alice@contoso..com', /empty label/],
  ['label starting with a hyphen', 'alice@-contoso.com', /may not start or end with '-'/],
  ['label ending with a hyphen', 'alice@contoso-.com', /may not start or end with '-'/],
  ['underscore in the domain', 'alice@con_toso.com', /may only contain letters/],
  ['label over 63 characters', `alice@${'a'.repeat(64)}.com`, /longer than 63/],
  ['domain over 253 characters', `alice@${Array(26).fill('abcdefghi').join('.')}.com`, /at most 253/],
  ['trailing dot', 'alice@contoso.com.', /ends with a dot/],
  ['space inside', 'alice smith@contoso.com', /space/],
  ['control character', 'alice\u0000@contoso.com', /control or invisible/],
  ['right-to-left override (displays as another address)', 'moc.osotnoc@\u202Eecila', /control or invisible formatting character/],
  ['zero-width space', 'ali\u200Bce@contoso.com', /invisible formatting/],
  ['angle brackets (display-name form)', 'Alice <alice@contoso.com>', /angle brackets/],
  ['IP address instead of a domain', 'alice@192.168.1.10', /IP address/],
  ['domain literal', 'alice@[192.168.1.10]', /letters, digits/],
  ['invalid IDN (replacement character)', 'alice@bücher\uFFFD.com', /not a valid internationalised domain name/],
  ['invalid IDN (mixed A-label)', 'alice@xn--ü.com', /not a valid internationalised domain name/],
];

for (const [name, input, reason] of refused) {
  test(`parseAddress refuses: ${name}`, () => {
    const r = parseAddress(input);
    assert.equal(r.ok, false, JSON.stringify(r));
    if (!r.ok) assert.match(r.reason, reason);
  });
}

test('isTenantRoutingDomain: <tenant>.mail.onmicrosoft.com and the sovereign-cloud forms', () => {
  const table: [string, boolean][] = [
    ['contoso.mail.onmicrosoft.com', true],
    ['Contoso.Mail.OnMicrosoft.com', true],
    ['contoso.mail.onmicrosoft.us', true],
    ['contoso.mail.partner.onmschina.cn', true],
    ['contoso.onmicrosoft.com', false], // the initial domain, not the routing domain
    ['mail.onmicrosoft.com', false], // no tenant label
    ['contoso.com', false],
    ['evilmail.onmicrosoft.com.example.net', false],
    ['autodiscover.contoso.mail.onmicrosoft.com', false], // a host under the domain, not an address domain
  ];
  for (const [domain, expected] of table) assert.equal(isTenantRoutingDomain(domain), expected, domain);
});

test('sameAddress / addressKey: case-insensitive, trimmed, IDN-insensitive', () => {
  assert.equal(sameAddress('Alice@Contoso.com', 'alice@contoso.COM '), true);
  assert.equal(sameAddress('anna@bücher.example', 'ANNA@xn--bcher-kva.example'), true);
  assert.equal(sameAddress('alice@contoso.com', 'alice@contoso.mail.onmicrosoft.com'), false);
  assert.equal(addressKey(' User1@Example.COM'), 'user1@example.com');
  assert.equal(addressKey('not an address'), 'not an address');
});
