import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPoxRequest, POX_CONTENT_TYPE, POX_REQUEST_HEADERS } from '../packages/core/src/autodiscover/request.ts';
import { canonicalXml } from './utils/autodiscover-fixtures.ts';

test('POX request: http:// namespaces, never https:// (MS-OXDSCLI; https gets ErrorCode 600)', () => {
  const body = buildPoxRequest('alice@contoso.com');
  assert.ok(!body.includes('https://'), body);
  assert.ok(body.includes('xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"'));
  assert.ok(body.includes('<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>'));
});

test('POX request: the address is XML-escaped only', () => {
  const body = buildPoxRequest(`o'neil&co<x>"+tag@contoso.com`);
  assert.ok(body.includes('<EMailAddress>o&apos;neil&amp;co&lt;x&gt;&quot;+tag@contoso.com</EMailAddress>'), body);
  const email = canonicalXml(body).children[0].children[0];
  assert.equal(email.text, `o'neil&co<x>"+tag@contoso.com`, 'a server reading the XML gets the address back');
});

test('POX request: mobilesync schema (MS-ASCMD)', () => {
  const doc = canonicalXml(buildPoxRequest('alice@contoso.com', 'mobilesync'));
  assert.equal(doc.namespace, 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006');
  assert.equal(doc.children[0].children[1].text, 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006');
});

test('POX request headers: Content-Type exactly "text/xml; charset=utf-8" (BUG-21, Thunderbird bug 1454325)', () => {
  assert.equal(POX_CONTENT_TYPE, 'text/xml; charset=utf-8');
  assert.deepEqual({ ...POX_REQUEST_HEADERS }, { 'Content-Type': 'text/xml; charset=utf-8' });
  assert.ok(Object.isFrozen(POX_REQUEST_HEADERS));
});
