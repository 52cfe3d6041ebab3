import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeParsedResponse, parseAutodiscoverResponse, RESPONSE_NOTE_LEVELS, summarizeSettings } from '../packages/core/src/autodiscover/response.ts';
import type { ParsedResponse, SettingsResponse } from '../packages/core/src/autodiscover/response.ts';
import { casesDir, fixtureFiles, samplesDir } from './utils/autodiscover-fixtures.ts';

const XML = 'text/xml; charset=utf-8';
const BASE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const OUTLOOK_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';
const MOBILE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006';

function doc(account: string, responseNs = OUTLOOK_NS): string {
  return `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${BASE_NS}"><Response xmlns="${responseNs}">${account}</Response></Autodiscover>`;
}

function settingsOf(body: string, ct: string | undefined = XML): SettingsResponse {
  const r = parseAutodiscoverResponse(body, ct);
  assert.equal(r.kind, 'settings', JSON.stringify(r));
  return r as SettingsResponse;
}

function noteCodes(r: ParsedResponse): string[] {
  return r.notes.map((n) => n.code);
}

const PROTOCOLS = `<Protocol><Type>EXCH</Type><EwsUrl>https://ex.contoso.com/EWS/Exchange.asmx</EwsUrl></Protocol><Protocol><Type>EXPR</Type><Server>mail.contoso.com</Server><EwsUrl>https://mail.contoso.com/EWS/Exchange.asmx</EwsUrl></Protocol>`;

test('elements matched by local name: prefixes and namespaces ignored (reference §3.2)', () => {
  const body = `<a:Autodiscover xmlns:a="${BASE_NS}"><b:Response xmlns:b="${OUTLOOK_NS}"><b:Account><b:Action>redirectAddr</b:Action><b:RedirectAddr>bob@contoso.mail.onmicrosoft.com</b:RedirectAddr></b:Account></b:Response></a:Autodiscover>`;
  const r = parseAutodiscoverResponse(body, XML);
  assert.deepEqual(r, { kind: 'redirectAddr', schema: 'outlook', address: 'bob@contoso.mail.onmicrosoft.com', notes: [] });
});

test('RedirectUrl and RedirectURL both accepted (docs disagree)', () => {
  for (const el of ['RedirectUrl', 'RedirectURL']) {
    const r = parseAutodiscoverResponse(doc(`<Account><Action>redirectUrl</Action><${el}> https://x.contoso.com/autodiscover/autodiscover.xml </${el}></Account>`), XML);
    assert.equal(r.kind === 'redirectUrl' && r.url, 'https://x.contoso.com/autodiscover/autodiscover.xml', el);
  }
});

test('Action compared case-insensitively, with an ACTION_CASE note (EWS Managed API compares exactly)', () => {
  const r = parseAutodiscoverResponse(doc(`<Account><Action>RedirectAddr</Action><RedirectAddr>x@y.com</RedirectAddr></Account>`), XML);
  assert.equal(r.kind, 'redirectAddr');
  assert.deepEqual(noteCodes(r), ['ACTION_CASE']);
});

test('unknown, missing and incomplete Actions are invalid, not guessed', () => {
  const table: [string, string][] = [
    ['<Account><Action>forward</Action></Account>', 'UNKNOWN_ACTION'],
    ['<Account><AccountType>email</AccountType></Account>', 'UNKNOWN_ACTION'],
    ['<Account><Action>redirectAddr</Action></Account>', 'MISSING_ELEMENT'],
    ['<Account><Action>redirectUrl</Action><RedirectUrl>  </RedirectUrl></Account>', 'MISSING_ELEMENT'],
    ['<User><DisplayName>x</DisplayName></User>', 'NO_RESPONSE'],
  ];
  for (const [account, reason] of table) {
    const r = parseAutodiscoverResponse(doc(account), XML);
    assert.equal(r.kind === 'invalid' && r.reason, reason, account);
  }
});

test('Error under Account is accepted (Learn names Account as its parent) and noted', () => {
  const r = parseAutodiscoverResponse(doc('<Account><Error Id="1" Time="2"><ErrorCode>602</ErrorCode><Message>bad</Message><DebugData>d</DebugData></Error></Account>'), XML);
  assert.equal(r.kind, 'error');
  if (r.kind !== 'error') return;
  assert.deepEqual([r.code, r.location, r.message, r.debugData, r.id, r.time], ['602', 'account', 'bad', 'd', '1', '2']);
  assert.match(r.meaning!, /configuration has errors/);
  assert.deepEqual(noteCodes(r), ['ERROR_UNDER_ACCOUNT']);
});

test('Error wins over Account when both are present; unknown codes are kept without a meaning', () => {
  const r = parseAutodiscoverResponse(doc(`<Error><ErrorCode>999</ErrorCode></Error><Account><Action>settings</Action></Account>`, BASE_NS), XML);
  assert.equal(r.kind === 'error' && r.code, '999');
  assert.equal(r.kind === 'error' && r.meaning, undefined);
});

test('Protocol type from <Type> or the Type attribute (mapiHttp); duplicates and several Accounts noted', () => {
  const s = settingsOf(doc(`<Account><Action>settings</Action>${PROTOCOLS}<Protocol Type="mapiHttp" Version="1"><MailStore><ExternalUrl>https://outlook.office365.com/mapi/emsmdb/</ExternalUrl></MailStore></Protocol><Protocol><Type>EXPR</Type></Protocol></Account><Account/>`));
  assert.deepEqual(s.protocols.map((p) => [p.type, p.typeFrom]), [['EXCH', 'element'], ['EXPR', 'element'], ['mapiHttp', 'attribute'], ['EXPR', 'element']]);
  assert.deepEqual(noteCodes(s).sort(), ['ACCOUNT_MULTIPLE', 'PROTOCOL_DUPLICATE_TYPE']);
});

test('two EXHTTP blocks are normal (internal then external), not a duplicate', () => {
  const s = settingsOf(doc(`<Account><Action>settings</Action>${PROTOCOLS}<Protocol><Type>EXHTTP</Type></Protocol><Protocol><Type>EXHTTP</Type></Protocol></Account>`));
  assert.ok(!noteCodes(s).includes('PROTOCOL_DUPLICATE_TYPE'));
});

test('missing EXCH / EXPR / EwsUrl are noted; summary falls back EXPR EwsUrl → EXCH EwsUrl → ASUrl', () => {
  const onlyAs = settingsOf(doc('<Account><Action>settings</Action><Protocol><Type>WEB</Type><External><OWAUrl AuthenticationMethod="Fba">https://mail.contoso.com/owa/</OWAUrl></External></Protocol><Protocol><Type>EXCH</Type><ASUrl>https://mail.contoso.com/EWS/Exchange.asmx</ASUrl></Protocol></Account>'));
  assert.deepEqual(noteCodes(onlyAs), ['EXPR_MISSING', 'EWSURL_MISSING']);
  assert.equal(summarizeSettings(onlyAs).ewsUrl, 'https://mail.contoso.com/EWS/Exchange.asmx');
  const exprFirst = settingsOf(doc(`<Account><Action>settings</Action>${PROTOCOLS}</Account>`));
  assert.equal(summarizeSettings(exprFirst).ewsUrl, 'https://mail.contoso.com/EWS/Exchange.asmx');
  const none = settingsOf(doc('<Account><Action>settings</Action></Account>'));
  assert.deepEqual(noteCodes(none), ['EXCH_MISSING', 'EXPR_MISSING', 'EWSURL_MISSING']);
  assert.deepEqual(summarizeSettings(none), { protocols: [] });
});

test('EwsUrl over http and internal hosts (.local, single label, RFC 1918) in external settings are noted (BUG-06)', () => {
  const s = settingsOf(doc('<Account><Action>settings</Action><Protocol><Type>EXPR</Type><EwsUrl>http://mail.contoso.com/EWS/Exchange.asmx</EwsUrl><OABUrl>https://exch01/OAB/</OABUrl><EcpUrl>https://10.1.2.3/ecp/</EcpUrl></Protocol><Protocol><Type>EXCH</Type><EwsUrl>https://ex01.corp.local/EWS/Exchange.asmx</EwsUrl></Protocol></Account>'));
  const codes = noteCodes(s);
  assert.ok(codes.includes('EWSURL_NOT_HTTPS'));
  const internal = s.notes.filter((n) => n.code === 'INTERNAL_HOST').map((n) => n.detail);
  assert.equal(internal.length, 2, internal.join('\n'));
  assert.match(internal.join('\n'), /exch01: single-label/);
  assert.match(internal.join('\n'), /10\.1\.2\.3: private address/);
  assert.doesNotMatch(internal.join('\n'), /ex01\.corp\.local/, 'EXCH beside EXPR is internal by design');
});

test('values are whitespace-trimmed (BUG-21 pretty-printing); entities and character references decoded; CDATA literal', () => {
  const s = settingsOf(
    `\uFEFF${doc('<Account><Action>\n settings \n</Action></Account>').replace('<Account>', '<Account><Protocol>\n<Type>\n  EXPR\n</Type><EwsUrl>\n   https://mail.contoso.com/EWS/Exchange.asmx?a=1&amp;b=2\n </EwsUrl></Protocol>')}`.replace(
      '</Response>',
      "<User><DisplayName>O&apos;Neil &#x26; Sons &#233;</DisplayName><LegacyDN><![CDATA[/o=A&amp;B]]></LegacyDN></User></Response>",
    ),
  );
  assert.equal(s.protocols[0].type, 'EXPR');
  assert.equal(s.protocols[0].ewsUrl, 'https://mail.contoso.com/EWS/Exchange.asmx?a=1&b=2');
  assert.equal(s.user.displayName, "O'Neil & Sons é");
  assert.equal(s.user.legacyDN, '/o=A&amp;B');
  assert.ok(noteCodes(s).includes('BOM_STRIPPED'));
});

test('namespace notes: missing namespace, https:// namespace (a Learn artefact)', () => {
  const missing = parseAutodiscoverResponse('<Autodiscover><Response><Error><ErrorCode>600</ErrorCode></Error></Response></Autodiscover>', XML);
  assert.deepEqual(noteCodes(missing), ['NAMESPACE_MISSING']);
  const https = parseAutodiscoverResponse(doc('<Error><ErrorCode>600</ErrorCode></Error>', 'https://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a'), XML);
  assert.deepEqual(noteCodes(https), ['NAMESPACE_UNEXPECTED']);
  assert.match(https.notes[0].detail, /https:\/\/ instead of http:\/\//);
});

test('content-type notes: text/html, missing, non-XML types, non-UTF-8 charset (BUG-21)', () => {
  const body = doc('<Error><ErrorCode>600</ErrorCode></Error>');
  const table: [string | undefined, string[]][] = [
    ['text/xml; charset=utf-8', []],
    ['application/xml', []],
    ['application/soap+xml', []],
    ['text/html; charset=utf-8', ['CONTENT_TYPE_HTML']],
    [undefined, ['CONTENT_TYPE_MISSING']],
    ['', ['CONTENT_TYPE_MISSING']],
    ['application/json', ['CONTENT_TYPE_UNEXPECTED']],
    ['text/xml; charset=iso-8859-1', ['CHARSET_NOT_UTF8']],
  ];
  for (const [ct, codes] of table) assert.deepEqual(noteCodes(parseAutodiscoverResponse(body, ct)), codes, String(ct));
});

test('mobilesync schema: Action/Settings/Server, Action/Error/Status, Action/Redirect (MS-ASCMD)', () => {
  const settings = parseAutodiscoverResponse(
    doc('<Culture>en:us</Culture><User><DisplayName>Alice</DisplayName><EMailAddress>alice@contoso.com</EMailAddress></User><Action><Settings><Server><Type>MobileSync</Type><Url>https://mail.contoso.com/Microsoft-Server-ActiveSync</Url><Name>https://mail.contoso.com/Microsoft-Server-ActiveSync</Name></Server></Settings></Action>', MOBILE_NS),
    XML,
  );
  assert.deepEqual(settings, {
    kind: 'mobilesync-settings',
    schema: 'mobilesync',
    user: { displayName: 'Alice', emailAddress: 'alice@contoso.com' },
    culture: 'en:us',
    servers: [{ type: 'MobileSync', url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync', name: 'https://mail.contoso.com/Microsoft-Server-ActiveSync' }],
    notes: [],
  });
  const error = parseAutodiscoverResponse(doc('<Action><Error><Status>2</Status><Message>Cannot find mobile mailbox</Message></Error></Action>', MOBILE_NS), XML);
  assert.deepEqual(error, { kind: 'mobilesync-error', schema: 'mobilesync', status: '2', message: 'Cannot find mobile mailbox', notes: [] });
  const redirect = parseAutodiscoverResponse(doc('<Action><Redirect>alice@contoso.mail.onmicrosoft.com</Redirect></Action>', MOBILE_NS), XML);
  assert.deepEqual(redirect, { kind: 'redirectAddr', schema: 'mobilesync', address: 'alice@contoso.mail.onmicrosoft.com', notes: [] });
  const providerError = parseAutodiscoverResponse(doc('<Error><ErrorCode>601</ErrorCode></Error>', MOBILE_NS), XML);
  assert.equal(providerError.kind === 'error' && providerError.schema, 'mobilesync');
});

test('not Autodiscover: wrong root, request echoed, XHTML page, JSON, plain text, binary, malformed XML', () => {
  const table: [string, string, RegExp][] = [
    ['<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>', 'WRONG_ROOT', /soap:Envelope/],
    ['<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Sign in</title></head><body/></html>', 'HTML_PAGE', /Sign in/],
    ['<?xml version="1.0"?>\n<html><head><title>T</title></head></html>', 'HTML_PAGE', /T/],
    ['{"error":"nope"}', 'NOT_XML', /JSON/],
    ['Access denied', 'NOT_XML', /not XML/],
    ['\u0000\u0001\u0002binary', 'NOT_XML', /binary/],
    ['<Autodiscover><Response>', 'NOT_XML', /not well-formed/],
    ['<Autodiscover/><Autodiscover/>', 'NOT_XML', /root elements/],
    ['<Autodiscover xmlns="x"/>', 'NO_RESPONSE', /no Response/],
  ];
  for (const [body, reason, detail] of table) {
    const r = parseAutodiscoverResponse(body, XML);
    assert.equal(r.kind === 'invalid' && r.reason, reason, body);
    assert.match(r.kind === 'invalid' ? `${r.detail} ${r.title ?? ''}` : '', detail, body);
  }
});

test('security: DOCTYPE / ENTITY refused before parsing (XML bombs, external entities) → XML_DTD_REFUSED', () => {
  const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Autodiscover>&lol3;</Autodiscover>`;
  const xxe = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Autodiscover xmlns="${BASE_NS}"><Response><Account><Action>redirectAddr</Action><RedirectAddr>&xxe;</RedirectAddr></Account></Response></Autodiscover>`;
  const lower = `<!doctype autodiscover><Autodiscover/>`;
  for (const body of [lol, xxe, lower]) {
    const r = parseAutodiscoverResponse(body, XML);
    assert.equal(r.kind === 'invalid' && r.reason, 'XML_DTD_REFUSED', body.slice(0, 60));
  }
});

test('security: undeclared entities are not expanded; bad character references stay literal', () => {
  const r = parseAutodiscoverResponse(doc('<Account><Action>redirectAddr</Action><RedirectAddr>a&nbsp;&#0;&#x110000;@b.com</RedirectAddr></Account>'), XML);
  assert.equal(r.kind === 'redirectAddr' && r.address, 'a&nbsp;&#0;&#x110000;@b.com');
});

test('describeParsedResponse: one line per kind', () => {
  assert.equal(describeParsedResponse(parseAutodiscoverResponse(doc(`<Account><Action>settings</Action>${PROTOCOLS}</Account>`), XML)), 'settings: EXCH, EXPR');
  assert.equal(describeParsedResponse(parseAutodiscoverResponse(doc('<Error><ErrorCode>500</ErrorCode></Error>'), XML)), "error 500 (the e-mail address can't be found)");
  assert.match(describeParsedResponse(parseAutodiscoverResponse('', XML)), /empty body/);
});

test('every emitted note code has a level in RESPONSE_NOTE_LEVELS', () => {
  const bodies = [...fixtureFiles(samplesDir).map((f) => path.join(samplesDir, f)), ...fixtureFiles(casesDir).map((f) => path.join(casesDir, f))].map((f) => readFileSync(f, 'utf8'));
  for (const body of bodies) for (const ct of [XML, 'text/html', undefined]) for (const n of parseAutodiscoverResponse(body, ct).notes) assert.ok(n.code in RESPONSE_NOTE_LEVELS, n.code);
});

// --- never throws -------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function assertNeverThrows(body: string, label: string): void {
  let r: ParsedResponse | undefined;
  assert.doesNotThrow(() => {
    r = parseAutodiscoverResponse(body, XML);
  }, label);
  assert.ok(r && typeof r.kind === 'string' && Array.isArray(r.notes), label);
  JSON.stringify(r); // the trace stores it as JSON
}

test('parseAutodiscoverResponse never throws: every fixture truncated at every position', () => {
  const files = [...fixtureFiles(samplesDir).filter((f) => f.endsWith('.xml')).map((f) => path.join(samplesDir, f)), ...fixtureFiles(casesDir).filter((f) => f.endsWith('.xml')).map((f) => path.join(casesDir, f))];
  for (const file of files) {
    const body = readFileSync(file, 'utf8');
    for (let i = 0; i <= body.length; i += 7) assertNeverThrows(body.slice(0, i), `${path.basename(file)}[0..${i}]`);
  }
});

test('parseAutodiscoverResponse never throws: random mutations of a settings answer', () => {
  const rand = prng(20260101);
  const base = readFileSync(path.join(samplesDir, 'exo-settings-mapihttp.xml'), 'utf8');
  const alphabet = ['<', '>', '/', '&', ';', '"', "'", '=', ':', '!', '?', '[', ']', '#', 'x', ' ', '\u0000', '\uFFFD', '\uD800', '&#x', '<!--', ']]>', '<![CDATA[', '__proto__', 'constructor'];
  for (let n = 0; n < 1500; n++) {
    let s = base;
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * s.length);
      const op = rand();
      if (op < 0.4) s = s.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + s.slice(at);
      else if (op < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
      else s = s.slice(0, at) + s.slice(Math.floor(rand() * s.length), Math.floor(rand() * s.length)) + s.slice(at);
    }
    assertNeverThrows(s, `mutation ${n}`);
  }
});

test('parseAutodiscoverResponse never throws: random character soup', () => {
  const rand = prng(7);
  for (let n = 0; n < 500; n++) {
    const len = Math.floor(rand() * 300);
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(rand() < 0.5 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0x10000));
    assertNeverThrows(s, `soup ${n}`);
    assertNeverThrows(`<Autodiscover>${s}</Autodiscover>`, `wrapped soup ${n}`);
  }
});

test('parseAutodiscoverResponse never throws and stays fast: huge nesting, huge attributes, many elements', () => {
  const started = Date.now();
  const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
  const r = parseAutodiscoverResponse(`<Autodiscover>${deep}</Autodiscover>`, XML);
  assert.equal(r.kind === 'invalid' && r.reason, 'NOT_XML');
  assertNeverThrows(`<Autodiscover>${'<a>'.repeat(50_000)}`, 'unclosed nesting');
  assertNeverThrows(`<Autodiscover a="${'x'.repeat(1_000_000)}"/>`, 'huge attribute');
  assertNeverThrows(doc(`<Account><Action>settings</Action>${'<Protocol><Type>EXCH</Type></Protocol>'.repeat(20_000)}</Account>`), 'many protocols');
  assertNeverThrows(`${'&amp;'.repeat(200_000)}`, 'entity soup');
  assertNeverThrows(`<html>${'<title>'.repeat(10_000)}`, 'title soup');
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});
