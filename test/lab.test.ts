/**
 * The lab against real clients: node's c-ares resolver, node:tls and node:https with the lab root
 * as `ca`, connecting through the lab's connectTo map while SNI/Host keep the real name. Only
 * 127.0.0.1 is ever contacted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import {
  headerValue,
  LabError,
  ONPREM_ADDRESS,
  ONPREM_PASSWORD,
  SEED_ADDRESS,
  SEED_BEARER_TOKEN,
  SEED_PASSWORD,
  SEED_ROUTING_ADDRESS,
  getScenario,
  scenarioNames,
  startLab,
  validateScenario,
} from '../packages/lab/src/index.ts';
import type { RunningLab, Scenario } from '../packages/lab/src/index.ts';

const AUTODISCOVER_PATH = '/autodiscover/autodiscover.xml';
const RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const OUTLOOK_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

function poxRequest(address: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>${OUTLOOK_NS}</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Text of the first element with this local name, or undefined. */
function element(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml)?.[1];
}

interface Reply {
  status: number;
  rawHeaders: string[];
  body: string;
}

function headerAll(reply: Reply, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    if (reply.rawHeaders[i].toLowerCase() === name.toLowerCase()) out.push(reply.rawHeaders[i + 1]);
  }
  return out;
}

/** Where the lab serves a URL's host:port. */
function target(lab: RunningLab, url: URL): { host: string; port: number } {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const mapped = lab.connectTo[`${url.hostname}:${port}`];
  assert.ok(mapped, `lab has no connect-to entry for ${url.hostname}:${port}`);
  const [host, p] = mapped.split(':');
  return { host, port: Number(p) };
}

/** One HTTP(S) exchange through the connect-to map; rejects with the client error. */
function fetchVia(
  lab: RunningLab,
  urlText: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; skipNameCheck?: boolean } = {},
): Promise<Reply> {
  const url = new URL(urlText);
  const { host, port } = target(lab, url);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host,
      port,
      method: opts.method ?? 'GET',
      path: url.pathname + url.search,
      headers: { Host: url.host, ...opts.headers },
      agent: false,
      timeout: 2000,
      ...(secure
        ? {
            servername: url.hostname,
            ca: lab.caCertificates,
            ...(opts.skipNameCheck ? { checkServerIdentity: () => undefined } : {}),
          }
        : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * TLS handshake only; resolves with the chain the server sent and node's verdict (chain errors
 * and the name check against `servername`, default the host of `hostPort`).
 */
function handshake(
  lab: RunningLab,
  hostPort: string,
  opts: { servername?: string; ca?: string[] } = {},
): Promise<{ authorized: boolean; error?: string; chain: tls.DetailedPeerCertificate[] }> {
  const servername = opts.servername ?? hostPort.split(':')[0];
  const [host, port] = lab.connectTo[hostPort].split(':');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(port), servername, ca: opts.ca ?? lab.caCertificates, rejectUnauthorized: false }, () => {
      const chain: tls.DetailedPeerCertificate[] = [];
      let cert = socket.getPeerCertificate(true);
      while (cert?.raw && !chain.some((c) => c.fingerprint256 === cert.fingerprint256)) {
        chain.push(cert);
        cert = cert.issuerCertificate;
      }
      const err = socket.authorizationError as unknown;
      const error = err === null || err === undefined ? undefined : typeof err === 'string' ? err : (err as NodeJS.ErrnoException).code;
      resolve({ authorized: socket.authorized, error, chain });
      socket.end();
    });
    socket.on('error', reject);
  });
}

function connectCode(hostPort: string): Promise<string> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = net.connect({ host, port: Number(port) });
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

function resolver(lab: RunningLab): dns.promises.Resolver {
  const r = new dns.promises.Resolver({ timeout: 500, tries: 1 });
  r.setServers([lab.dnsServer]);
  return r;
}

async function dnsError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'no code';
  }
}

describe('seed lab', () => {
  let lab: RunningLab;
  before(async () => {
    lab = await startLab('seed');
  });
  after(() => lab.close());

  test('connectTo covers every served and closed host:port, on loopback only', () => {
    assert.deepEqual(Object.keys(lab.connectTo).sort(), [
      'autodiscover-s.outlook.com:443',
      'autodiscover.contoso.com:443',
      'autodiscover.contoso.com:80',
      'autodiscover.contoso.mail.onmicrosoft.com:443',
      'autodiscover.contoso.mail.onmicrosoft.com:80',
      'autodiscover.outlook.com:443',
      'autodiscover.outlook.com:80',
      'contoso.com:443',
      'mail.contoso.com:443',
      'mail.contoso.com:80',
      'outlook.office365.com:443',
    ]);
    for (const value of [...Object.values(lab.connectTo), lab.dnsServer]) assert.match(value, /^127\.0\.0\.1:\d+$/);
    assert.equal(lab.caCertificates.length, 1);
    assert.match(lab.caCertificates[0], /^-----BEGIN CERTIFICATE-----/);
  });

  test('DNS: addresses, CNAME chains hop by hop, case-insensitive names', async () => {
    const r = resolver(lab);
    assert.deepEqual(await r.resolve4('contoso.com'), ['127.0.0.10']);
    assert.deepEqual(await r.resolveCname('autodiscover.contoso.com'), ['mail.contoso.com']);
    assert.deepEqual(await r.resolve4('autodiscover.contoso.com'), ['127.0.0.20']);
    assert.deepEqual(await r.resolve4('AutoDiscover.Contoso.COM'), ['127.0.0.20']);
    assert.deepEqual(await r.resolveCname('autodiscover.contoso.mail.onmicrosoft.com'), ['autodiscover.outlook.com']);
    assert.deepEqual(await r.resolve4('autodiscover.contoso.mail.onmicrosoft.com'), ['127.0.0.30']);
    assert.deepEqual(await r.resolve4('autodiscover-s.outlook.com'), ['127.0.0.40']);
    assert.deepEqual(await r.resolve4('outlook.office365.com'), ['127.0.0.50']);
  });

  test('DNS: NXDOMAIN → ENOTFOUND, NODATA → ENODATA', async () => {
    const r = resolver(lab);
    assert.equal(await dnsError(r.resolveSrv('_autodiscover._tcp.contoso.com')), 'ENOTFOUND');
    assert.equal(await dnsError(r.resolveSrv('_autodiscover._tcp.contoso.mail.onmicrosoft.com')), 'ENOTFOUND');
    assert.equal(await dnsError(r.resolve4('contoso.mail.onmicrosoft.com')), 'ENOTFOUND');
    assert.equal(await dnsError(r.resolve4('nothing-here.example')), 'ENOTFOUND');
    assert.equal(await dnsError(r.resolve6('contoso.com')), 'ENODATA');
    assert.equal(await dnsError(r.resolveCname('mail.contoso.com')), 'ENODATA');
    assert.ok(lab.dnsQueries.some((q) => q.type === 'SRV' && q.name === '_autodiscover._tcp.contoso.com' && q.outcome === 'NXDOMAIN'));
  });

  test('TLS: each host presents the certificate the scenario names', async () => {
    const web = await handshake(lab, 'contoso.com:443');
    assert.equal(web.chain[0].subjectaltname, 'DNS:www.contoso.com');
    assert.equal(web.error, 'ERR_TLS_CERT_ALTNAME_INVALID', 'not valid for contoso.com');
    assert.equal((await handshake(lab, 'contoso.com:443', { servername: 'www.contoso.com' })).authorized, true, 'but a trusted chain');

    const onprem = await handshake(lab, 'autodiscover.contoso.com:443');
    assert.equal(onprem.chain[0].subjectaltname, 'DNS:autodiscover.contoso.com, DNS:mail.contoso.com');
    assert.equal(onprem.error, undefined);
    assert.equal(onprem.authorized, true);

    const exo = await handshake(lab, 'autodiscover-s.outlook.com:443');
    assert.equal(exo.chain[0].subjectaltname, 'DNS:autodiscover-s.outlook.com, DNS:*.outlook.com, DNS:outlook.office365.com');
    assert.equal(exo.error, undefined);
    const ews = await handshake(lab, 'outlook.office365.com:443');
    assert.equal(ews.chain[0].fingerprint256, exo.chain[0].fingerprint256, 'named certificate shared');
    assert.equal(lab.certificates['outlook.office365.com:443'].certPem, lab.certificates['autodiscover-s.outlook.com:443'].certPem);

    // Without the lab root nothing is trusted.
    const untrusting = await handshake(lab, 'autodiscover.contoso.com:443', { ca: [] });
    assert.equal(untrusting.error, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  test('web host: any request → nginx 404 HTML', async () => {
    const reply = await fetchVia(lab, `https://contoso.com${AUTODISCOVER_PATH}`, { method: 'POST', body: poxRequest(SEED_ADDRESS), skipNameCheck: true });
    assert.equal(reply.status, 404);
    assert.deepEqual(headerAll(reply, 'server'), ['nginx']);
    assert.match(reply.body, /<center>nginx<\/center>/);
  });

  test('on-prem: anonymous POST → 401 with Negotiate, NTLM, Basic realm and Exchange headers', async () => {
    const reply = await fetchVia(lab, `https://autodiscover.contoso.com${AUTODISCOVER_PATH}`, { method: 'POST', body: poxRequest(SEED_ADDRESS) });
    assert.equal(reply.status, 401);
    assert.deepEqual(headerAll(reply, 'www-authenticate'), ['Negotiate', 'NTLM', 'Basic realm="autodiscover.contoso.com"']);
    assert.equal(headerAll(reply, 'request-id').length, 1);
    assert.deepEqual(headerAll(reply, 'X-FEServer'), ['EX01']);
    assert.equal(reply.body, '');
  });

  test('on-prem: Basic alice → 200 redirectAddr to the tenant routing address', async () => {
    const reply = await fetchVia(lab, `https://autodiscover.contoso.com${AUTODISCOVER_PATH}`, {
      method: 'POST',
      headers: { Authorization: basic(SEED_ADDRESS, SEED_PASSWORD), 'Content-Type': 'text/xml; charset=utf-8' },
      body: poxRequest(SEED_ADDRESS),
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(headerAll(reply, 'content-type'), ['text/xml; charset=utf-8']);
    assert.ok(reply.body.includes(`<Autodiscover xmlns="${RESPONSE_NS}">`));
    assert.ok(reply.body.includes(`<Response xmlns="${OUTLOOK_NS}">`));
    assert.equal(element(reply.body, 'Action'), 'redirectAddr');
    assert.equal(element(reply.body, 'RedirectAddr'), SEED_ROUTING_ADDRESS);
  });

  test('on-prem: wrong password → the same 401; path is case-insensitive; bad bodies → 600, unknown → 500', async () => {
    const base = `https://autodiscover.contoso.com`;
    const wrong = await fetchVia(lab, base + AUTODISCOVER_PATH, { method: 'POST', headers: { Authorization: basic(SEED_ADDRESS, 'nope') }, body: poxRequest(SEED_ADDRESS) });
    assert.equal(wrong.status, 401);
    assert.deepEqual(headerAll(wrong, 'www-authenticate'), ['Negotiate', 'NTLM', 'Basic realm="autodiscover.contoso.com"']);

    const auth = { Authorization: basic(SEED_ADDRESS, SEED_PASSWORD) };
    const mixedCase = await fetchVia(lab, `${base}/AutoDiscover/AutoDiscover.xml`, { method: 'POST', headers: auth, body: poxRequest(SEED_ADDRESS) });
    assert.equal(element(mixedCase.body, 'RedirectAddr'), SEED_ROUTING_ADDRESS);

    const noAddress = await fetchVia(lab, base + AUTODISCOVER_PATH, { method: 'POST', headers: auth, body: '<Autodiscover><Request/></Autodiscover>' });
    assert.equal(noAddress.status, 200);
    assert.equal(element(noAddress.body, 'ErrorCode'), '600');
    assert.ok(noAddress.body.includes(`<Response xmlns="${RESPONSE_NS}">`), 'error Response is in the base namespace');

    const get = await fetchVia(lab, base + AUTODISCOVER_PATH, { headers: auth });
    assert.equal(element(get.body, 'ErrorCode'), '600');

    const unknown = await fetchVia(lab, base + AUTODISCOVER_PATH, { method: 'POST', headers: auth, body: poxRequest('carol@contoso.com') });
    assert.equal(unknown.status, 200);
    assert.equal(element(unknown.body, 'ErrorCode'), '500');

    const otherPath = await fetchVia(lab, `${base}/owa/`, { headers: auth });
    assert.equal(otherPath.status, 404);
  });

  test('closed ports refuse the connection', async () => {
    assert.equal(await connectCode(lab.connectTo['autodiscover.contoso.com:80']), 'ECONNREFUSED');
    assert.equal(await connectCode(lab.connectTo['autodiscover.contoso.mail.onmicrosoft.com:443']), 'ECONNREFUSED');
    await assert.rejects(fetchVia(lab, `https://autodiscover.contoso.mail.onmicrosoft.com${AUTODISCOVER_PATH}`), { code: 'ECONNREFUSED' });
  });

  test('tenant routing name, port 80: GET → 302 to autodiscover-s.outlook.com', async () => {
    const reply = await fetchVia(lab, `http://autodiscover.contoso.mail.onmicrosoft.com${AUTODISCOVER_PATH}`);
    assert.equal(reply.status, 302);
    assert.deepEqual(headerAll(reply, 'location'), ['https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml']);
    assert.equal(reply.body, '');
  });

  test('Exchange Online: anonymous → Bearer challenge + Basic Realm=""; Basic → BasicAuthBlocked', async () => {
    const url = `https://autodiscover-s.outlook.com${AUTODISCOVER_PATH}`;
    const anonymous = await fetchVia(lab, url, { method: 'POST', body: poxRequest(SEED_ROUTING_ADDRESS) });
    assert.equal(anonymous.status, 401);
    const challenges = headerAll(anonymous, 'www-authenticate');
    assert.equal(challenges.length, 2);
    assert.match(challenges[0], /^Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@\*"/);
    assert.match(challenges[0], /authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize"/);
    assert.equal(challenges[1], 'Basic Realm=""');
    assert.deepEqual(headerAll(anonymous, 'x-autodiscovery-error'), []);

    const basicTry = await fetchVia(lab, url, { method: 'POST', headers: { Authorization: basic(SEED_ADDRESS, SEED_PASSWORD) }, body: poxRequest(SEED_ROUTING_ADDRESS) });
    assert.equal(basicTry.status, 401);
    assert.match(headerAll(basicTry, 'x-autodiscovery-error')[0], /^LiveIdBasicAuth:BasicAuthBlocked:/);

    const badToken = await fetchVia(lab, url, { method: 'POST', headers: { Authorization: 'Bearer not-a-token' }, body: poxRequest(SEED_ROUTING_ADDRESS) });
    assert.equal(badToken.status, 401);
    assert.equal(headerAll(badToken, 'www-authenticate').length, 2);
  });

  test('Exchange Online: Bearer → settings (exo profile), mapiHttp only when asked for', async () => {
    const url = `https://autodiscover-s.outlook.com${AUTODISCOVER_PATH}`;
    const headers = { Authorization: `Bearer ${SEED_BEARER_TOKEN}`, 'X-AnchorMailbox': SEED_ROUTING_ADDRESS };
    const withMapi = await fetchVia(lab, url, { method: 'POST', headers: { ...headers, 'X-MapiHttpCapability': '1' }, body: poxRequest(SEED_ROUTING_ADDRESS) });
    assert.equal(withMapi.status, 200);
    const xml = withMapi.body;
    assert.equal(element(xml, 'Action'), 'settings');
    assert.equal(element(xml, 'MicrosoftOnline'), 'True');
    assert.equal(element(xml, 'AutoDiscoverSMTPAddress'), SEED_ADDRESS);
    assert.equal(element(xml, 'EwsUrl'), 'https://outlook.office365.com/EWS/Exchange.asmx');
    assert.ok(xml.includes('<Protocol Type="mapiHttp" Version="1">'));
    assert.match(xml, /<MailStore>\s*<InternalUrl>https:\/\/outlook\.office365\.com\/mapi\/emsmdb\/\?MailboxId=[0-9a-f-]+@contoso\.com<\/InternalUrl>/);
    assert.ok(xml.includes('<AddressBook>'));
    assert.ok(xml.includes('<Type>EXCH</Type>') && xml.includes('<Type>WEB</Type>'));

    const withoutMapi = await fetchVia(lab, url, { method: 'POST', headers, body: poxRequest(SEED_ROUTING_ADDRESS) });
    assert.equal(element(withoutMapi.body, 'Action'), 'settings');
    assert.ok(!withoutMapi.body.includes('mapiHttp'));
  });

  test('outlook.office365.com: /EWS/Exchange.asmx asks for a bearer token', async () => {
    const reply = await fetchVia(lab, 'https://outlook.office365.com/EWS/Exchange.asmx');
    assert.equal(reply.status, 401);
    assert.match(headerAll(reply, 'www-authenticate')[0], /^Bearer /);
  });

  test('requests are recorded as received; credentials only ever arrived over TLS', () => {
    assert.ok(lab.requests.length >= 15);
    const redirectGet = lab.requests.find((r) => !r.tls);
    assert.ok(redirectGet);
    assert.equal(redirectGet.host, 'autodiscover.contoso.mail.onmicrosoft.com');
    assert.equal(redirectGet.port, 80);
    assert.equal(redirectGet.method, 'GET');
    assert.equal(redirectGet.path, AUTODISCOVER_PATH);
    for (const r of lab.requests) {
      if (headerValue(r, 'authorization') !== undefined) assert.equal(r.tls, true, `credentials over http to ${r.host}`);
    }
    const alice = lab.requests.find((r) => r.host === 'autodiscover.contoso.com' && r.status === 200);
    assert.ok(alice);
    assert.equal(alice.sni, 'autodiscover.contoso.com');
    assert.ok(alice.headers.some(([k, v]) => k === 'Authorization' && v === basic(SEED_ADDRESS, SEED_PASSWORD)), 'raw header pair kept');
    assert.equal(headerValue(alice, 'content-type'), 'text/xml; charset=utf-8');
    assert.ok(alice.body.includes(`<EMailAddress>${SEED_ADDRESS}</EMailAddress>`));
    const times = lab.requests.map((r) => r.at);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'arrival order');
  });
});

describe('onprem-only lab', () => {
  test('Basic bob → on-prem settings (EXCH, EXPR, WEB), mapiHttp on request', async () => {
    const lab = await startLab('onprem-only');
    try {
      const url = `https://autodiscover.contoso.com${AUTODISCOVER_PATH}`;
      const headers = { Authorization: basic(ONPREM_ADDRESS, ONPREM_PASSWORD) };
      const reply = await fetchVia(lab, url, { method: 'POST', headers, body: poxRequest(ONPREM_ADDRESS) });
      assert.equal(reply.status, 200);
      const xml = reply.body;
      assert.equal(element(xml, 'Action'), 'settings');
      assert.equal(element(xml, 'MicrosoftOnline'), 'False');
      assert.equal(element(xml, 'DisplayName'), 'Bob Example');
      assert.equal(element(xml, 'AutoDiscoverSMTPAddress'), ONPREM_ADDRESS);
      for (const type of ['EXCH', 'EXPR', 'WEB']) assert.ok(xml.includes(`<Type>${type}</Type>`), type);
      assert.equal(element(xml, 'EwsUrl'), 'https://mail.contoso.com/EWS/Exchange.asmx');
      assert.equal(element(xml, 'CertPrincipalName'), 'msstd:mail.contoso.com');
      assert.ok(!xml.includes('mapiHttp'));

      const mapi = await fetchVia(lab, url, { method: 'POST', headers: { ...headers, 'X-MapiHttpCapability': '1' }, body: poxRequest(ONPREM_ADDRESS) });
      assert.ok(mapi.body.includes('https://mail.contoso.com/mapi/emsmdb/?MailboxId='));

      // alice is not known to this organisation.
      const alice = await fetchVia(lab, url, { method: 'POST', headers, body: poxRequest(SEED_ADDRESS) });
      assert.equal(element(alice.body, 'ErrorCode'), '500');
    } finally {
      await lab.close();
    }
  });
});

/** A scenario exercising the formats the seed does not use. */
const variety: Scenario = {
  name: 'lab-self-test',
  description: 'DNS behaviours, certificate shapes and connection behaviours.',
  users: [],
  dns: {
    'srv.test': {},
    '_autodiscover._tcp.srv.test': {
      SRV: [
        { priority: 10, weight: 5, port: 443, target: 'mail.srv.test' },
        { priority: 0, weight: 0, port: 443, target: 'autodiscover.srv.test' },
      ],
    },
    'six.test': { A: ['127.0.0.9'], AAAA: ['::1'] },
    'broken.test': { behaviour: 'servfail' },
    'refusing.test': { behaviour: 'refused' },
    'slow.test': { behaviour: 'timeout' },
    'empty.test': { A: ['127.0.0.8'], behaviour: 'nodata' },
    'half.test': { A: ['127.0.0.7'], byType: { AAAA: 'servfail' } },
    'dangling.test': { CNAME: 'missing.test' },
    'loop-a.test': { CNAME: 'loop-b.test' },
    'loop-b.test': { CNAME: 'loop-a.test' },
    '*.wild.test': { A: ['127.0.0.6'] },
    'big.test': { TXT: Array.from({ length: 20 }, (_, i) => `${'x'.repeat(60)}-${i}`) },
  },
  endpoints: [
    { host: 'silent.test', port: 443, behaviour: { kind: 'silent' } },
    { host: 'reset.test', port: 443, behaviour: { kind: 'reset' } },
    { host: 'chain.test', port: 443, tls: { dnsNames: ['chain.test'], issuer: 'intermediate' }, behaviour: { kind: 'static', status: 204 } },
    { host: 'nochain.test', port: 443, tls: { dnsNames: ['nochain.test'], issuer: 'intermediate', sendIntermediate: false }, behaviour: { kind: 'static', status: 204 } },
    { host: 'self.test', port: 443, tls: { dnsNames: ['self.test'], issuer: 'self-signed' }, behaviour: { kind: 'static', status: 204 } },
    { host: 'private.test', port: 443, tls: { dnsNames: ['private.test'], issuer: 'untrusted-root' }, behaviour: { kind: 'static', status: 204 } },
    { host: 'expired.test', port: 443, tls: { dnsNames: ['expired.test'], validity: 'expired' }, behaviour: { kind: 'static', status: 204 } },
    { host: 'soon.test', port: 443, tls: { dnsNames: ['soon.test'], notAfter: '+10d' }, behaviour: { kind: 'static', status: 204 } },
    { host: 'cn.test', port: 443, tls: { dnsNames: [], commonName: 'cn.test' }, behaviour: { kind: 'static', status: 204 } },
    {
      host: 'raw.test',
      port: 443,
      tls: { dnsNames: ['raw.test'] },
      behaviour: {
        kind: 'exchange',
        challenges: [],
        anonymous: true,
        answers: {
          'html@raw.test': { action: 'raw', status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><title>Sign in</title></html>' },
          'url@raw.test': { action: 'redirectUrl', to: 'https://pod1.raw.test/autodiscover/autodiscover.xml' },
          'err@raw.test': { action: 'error', code: 603 },
        },
      },
    },
    { host: 'mfa.test', port: 80, behaviour: { kind: 'static', status: 456, reason: 'Multi-Factor Authentication Required', body: 'AADSTS50076' } },
  ],
};

describe('lab formats', () => {
  let lab: RunningLab;
  before(async () => {
    lab = await startLab(variety);
  });
  after(() => lab.close());

  test('DNS: SRV, AAAA, wildcard, large answers over TCP', async () => {
    const r = resolver(lab);
    const srv = await r.resolveSrv('_autodiscover._tcp.srv.test');
    assert.deepEqual(srv.map((s) => [s.priority, s.weight, s.port, s.name]).sort(), [
      [0, 0, 443, 'autodiscover.srv.test'],
      [10, 5, 443, 'mail.srv.test'],
    ]);
    assert.deepEqual(await r.resolve6('six.test'), ['::1']);
    assert.deepEqual(await r.resolve4('anything.wild.test'), ['127.0.0.6']);
    assert.equal((await r.resolveTxt('big.test')).length, 20);
    assert.ok(lab.dnsQueries.some((q) => q.name === 'big.test' && q.transport === 'tcp'), 'truncated over UDP, retried over TCP');
  });

  test('DNS: error behaviours map to the c-ares codes the engine distinguishes', async () => {
    const r = resolver(lab);
    assert.equal(await dnsError(r.resolve4('broken.test')), 'ESERVFAIL');
    // Recorded fact: c-ares (node 24) reports rcode REFUSED as EREFUSED when it is the only server.
    assert.equal(await dnsError(r.resolve4('refusing.test')), 'EREFUSED');
    assert.equal(await dnsError(r.resolve4('empty.test')), 'ENODATA');
    assert.deepEqual(await r.resolve4('half.test'), ['127.0.0.7']);
    assert.equal(await dnsError(r.resolve6('half.test')), 'ESERVFAIL');
    assert.equal(await dnsError(r.resolve4('dangling.test')), 'ENOTFOUND');
    assert.equal(await dnsError(r.resolve4('loop-a.test')), 'ESERVFAIL');
    assert.equal(await dnsError(r.resolve4('slow.test')), 'ETIMEOUT');
  });

  test('certificate shapes: intermediate sent or not, self-signed, private root, dates, CN-only', async () => {
    const chain = await handshake(lab, 'chain.test:443');
    assert.equal(chain.authorized, true);
    assert.match(String(chain.chain[1].subject.CN), /issuing CA/, 'intermediate presented');
    assert.equal((await handshake(lab, 'nochain.test:443')).error, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal((await handshake(lab, 'self.test:443')).error, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal((await handshake(lab, 'private.test:443')).error, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal((await handshake(lab, 'expired.test:443')).error, 'CERT_HAS_EXPIRED');
    const soon = await handshake(lab, 'soon.test:443');
    const daysLeft = (Date.parse(soon.chain[0].valid_to) - Date.now()) / 86_400_000;
    assert.ok(daysLeft > 9 && daysLeft <= 10, `expires in ${daysLeft} days`);
    const cn = await handshake(lab, 'cn.test:443');
    assert.equal(cn.chain[0].subjectaltname, undefined);
    assert.equal(cn.chain[0].subject.CN, 'cn.test');
    assert.equal(cn.error, undefined, 'node matches the CN when there is no SAN');
  });

  test('silent accepts and never answers; reset resets', async () => {
    const before = lab.connections.length;
    const silentResult = await new Promise<string>((resolve) => {
      const [host, port] = lab.connectTo['silent.test:443'].split(':');
      const s = net.connect({ host, port: Number(port) });
      s.setTimeout(200, () => {
        s.destroy();
        resolve('timed out');
      });
      s.on('data', () => resolve('got data'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(silentResult, 'timed out');
    await assert.rejects(fetchVia(lab, 'https://reset.test/'), { code: 'ECONNRESET' });
    assert.deepEqual(lab.connections.slice(before).map((c) => c.endpoint), ['silent.test:443', 'reset.test:443']);
  });

  test('raw, redirectUrl and error answers; unregistered status with its reason', async () => {
    const url = `https://raw.test${AUTODISCOVER_PATH}`;
    const html = await fetchVia(lab, url, { method: 'POST', body: poxRequest('html@raw.test') });
    assert.equal(html.status, 200);
    assert.deepEqual(headerAll(html, 'content-type'), ['text/html']);
    assert.equal(html.body, '<html><title>Sign in</title></html>');
    const redirect = await fetchVia(lab, url, { method: 'POST', body: poxRequest('URL@raw.test') });
    assert.equal(element(redirect.body, 'RedirectUrl'), 'https://pod1.raw.test/autodiscover/autodiscover.xml');
    const err = await fetchVia(lab, url, { method: 'POST', body: poxRequest('err@raw.test') });
    assert.equal(element(err.body, 'ErrorCode'), '603');
    assert.equal(element(err.body, 'Message'), 'Server Error');

    const mfa = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const { host, port } = target(lab, new URL('http://mfa.test/'));
      http.get({ host, port, path: '/', headers: { Host: 'mfa.test' }, agent: false }, (res) => {
        res.resume();
        resolve(res);
      }).on('error', reject);
    });
    assert.equal(mfa.statusCode, 456);
    assert.equal(mfa.statusMessage, 'Multi-Factor Authentication Required');
  });
});

describe('scenario registry and validation', () => {
  test('the registry knows seed and onprem-only; unknown names fail with a code', () => {
    assert.ok(scenarioNames().includes('seed') && scenarioNames().includes('onprem-only'));
    assert.equal(getScenario('seed').name, 'seed');
    assert.ok(Object.isFrozen(getScenario('seed').dns), 'registry scenarios are frozen');
    assert.throws(() => getScenario('nope'), (e: unknown) => e instanceof LabError && e.code === 'LAB_UNKNOWN_SCENARIO');
  });

  test('non-loopback DNS answers, duplicate endpoints and bad references are refused before anything starts', async () => {
    const bad: Scenario = {
      name: 'bad',
      description: '',
      users: [],
      dns: { 'leak.test': { A: ['192.0.2.1'] }, 'leak6.test': { AAAA: ['2001:db8::1'] } },
      endpoints: [
        { host: 'a.test', port: 443, tls: 'missing', behaviour: { kind: 'static', status: 200 } },
        { host: 'b.test', aliases: ['a.test'], port: 443, behaviour: { kind: 'static', status: 200 } },
      ],
    };
    await assert.rejects(startLab(bad), (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.code, 'LAB_SCENARIO_INVALID');
      assert.match(e.message, /A 192\.0\.2\.1 must be a 127\.x address/);
      assert.match(e.message, /AAAA 2001:db8::1 must be ::1/);
      assert.match(e.message, /certificate "missing" is not defined/);
      assert.match(e.message, /a\.test:443 is served twice/);
      return true;
    });
    assert.equal(validateScenario(getScenario('seed')).name, 'seed');
  });
});

describe('close', () => {
  // The timeout turns a close() that waits on a forgotten socket into a failure, not a hang.
  test('frees every port and socket, and is idempotent', { timeout: 3000 }, async () => {
    const lab = await startLab('seed');
    const targets = [...new Set(Object.values(lab.connectTo))];
    // Leave a connection open on the way out: close() must still end it.
    const [host, port] = lab.connectTo['autodiscover.contoso.com:443'].split(':');
    const open = net.connect({ host, port: Number(port) });
    await new Promise((resolve) => open.once('connect', resolve));
    const ended = new Promise((resolve) => open.once('close', resolve));
    open.on('error', () => {});

    await Promise.all([lab.close(), lab.close()]);
    await lab.close();
    await ended;
    for (const t of targets) assert.equal(await connectCode(t), 'ECONNREFUSED', t);
    assert.equal(await connectCode(lab.dnsServer), 'ECONNREFUSED', 'DNS over TCP closed');
  });
});
