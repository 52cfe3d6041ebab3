import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractHtmlTitle, parseContentType, sniffBody } from '../packages/core/src/autodiscover/content.ts';
import { internalHostReason } from '../packages/core/src/autodiscover/host.ts';

test('sniffBody: empty, whitespace and a lone XML declaration are "empty" (BUG-24)', () => {
  assert.equal(sniffBody('').empty, 'zero-bytes');
  assert.equal(sniffBody(' \r\n\t').empty, 'whitespace');
  assert.equal(sniffBody('<?xml version="1.0" encoding="utf-8"?>\n').empty, 'xml-declaration-only');
  assert.equal(sniffBody('<?xml version="1.0"?><!-- generated nothing -->').empty, 'xml-declaration-only');
  assert.equal(sniffBody('\uFEFF').kind, 'empty');
});

test('sniffBody: HTML by doctype or <html>/<head>/<body>, title extracted (BUG-08)', () => {
  const table: [string, string | undefined][] = [
    ['<!DOCTYPE html><html><head><title> Sign  in\n to Outlook </title></head></html>', 'Sign in to Outlook'],
    ['<!doctype HTML PUBLIC "-//W3C//DTD HTML 4.0//EN"><HTML><TITLE>Access &amp; denied</TITLE>', 'Access & denied'],
    ['  <html><body>404</body></html>', undefined],
    ['<?xml version="1.0"?>\n<!-- x --><html><title>T</title></html>', 'T'],
    ['<body>hi</body>', undefined],
  ];
  for (const [body, title] of table) {
    const s = sniffBody(body);
    assert.equal(s.kind, 'html', body);
    assert.equal(s.title, title, body);
  }
});

test('sniffBody: XML, JSON, text, binary; BOM stripped and reported', () => {
  assert.equal(sniffBody('<Autodiscover/>').kind, 'xml');
  assert.equal(sniffBody('<htmlx/>').kind, 'xml');
  assert.equal(sniffBody('{"a":1}').kind, 'json');
  assert.equal(sniffBody('{not json').kind, 'text');
  assert.equal(sniffBody('Access denied').kind, 'text');
  assert.equal(sniffBody('PK\u0003\u0004\u0000\u0000').kind, 'binary');
  assert.equal(sniffBody('\uFFFD\uFFFD\uFFFD\uFFFDabc').kind, 'binary');
  const bom = sniffBody('\uFEFF<Autodiscover/>');
  assert.equal(bom.bom, true);
  assert.equal(bom.text, '<Autodiscover/>');
});

test('parseContentType: media type and charset lower-cased, raw value kept', () => {
  assert.deepEqual(parseContentType('text/xml;charset=UTF-8'), { mediaType: 'text/xml', charset: 'utf-8', raw: 'text/xml;charset=UTF-8' });
  assert.deepEqual(parseContentType('Application/XML'), { mediaType: 'application/xml', raw: 'Application/XML' });
  assert.deepEqual(parseContentType('text/html; charset="utf-8"'), { mediaType: 'text/html', charset: 'utf-8', raw: 'text/html; charset="utf-8"' });
  assert.equal(parseContentType(undefined), undefined);
  assert.equal(parseContentType('  '), undefined);
});

test('extractHtmlTitle: missing, unterminated and empty titles', () => {
  assert.equal(extractHtmlTitle('<html></html>'), undefined);
  assert.equal(extractHtmlTitle('<title>'), undefined);
  assert.equal(extractHtmlTitle('<title>cut off'), 'cut off');
  assert.equal(extractHtmlTitle('<title>  </title>'), undefined);
  assert.equal(extractHtmlTitle(`<title>${'x'.repeat(500)}</title>`)!.length, 200);
});

test('internal hosts: .local, single label, RFC 1918, loopback, link-local, ULA; public names pass (BUG-06)', () => {
  const internal = ['ex01.corp.example.local', 'EXCH01', 'exch01:443', '10.0.0.5', '172.20.1.1', '192.168.1.10', '127.0.0.1', '169.254.1.1', '[fd00::1]', '::1', 'fe80::1', 'host.home.arpa', 'mail.lan', '::ffff:10.1.1.1'];
  const external = ['mail.contoso.com', 'outlook.office365.com', '172.32.0.1', '8.8.8.8', '2001:db8::1', 'contoso.local.example.com'];
  for (const h of internal) assert.ok(internalHostReason(h), h);
  for (const h of external) assert.equal(internalHostReason(h), undefined, h);
});

test('extractHtmlTitle: control characters (terminal escapes) dropped from the attacker-controlled title', () => {
  assert.equal(extractHtmlTitle('<title>\u001b[31mRed\u001b[0m\u0007</title>'), '[31mRed[0m');
});
