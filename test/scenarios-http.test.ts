/**
 * Redirect, response and authentication scenarios of the failure catalogue
 * (packages/lab/src/scenarios/catalogue.ts), through the whole local pipeline, plus the catalogue's
 * own bookkeeping. Reference: shared/reference/autodiscover-protocol.md §3.2 (response skeleton),
 * §4.2 (URL redirect validation), §5.3–5.4 (Exchange Online, credential safety), §6.1 (ErrorCode),
 * §6.2 (HTTP status on the POST), §8.
 *
 * Covered elsewhere and not repeated: 301/302/307/308 on the port-80 step (BUG-02) and 302 on the
 * POST (BUG-01) in test/cases.test.ts; redirect to http, hop limit, URL and address loops in
 * test/walk-redirects.test.ts; 200 HTML login page (BUG-08), empty 200 (BUG-24), ErrorCode
 * 500/600/603 (BUG-09/10), EXCH without EXPR (BUG-06), 401 everywhere with a wrong password ranked
 * above "not found"/SRV (BUG-23), HTTP 456 (BUG-20) in test/cases.test.ts; the XML bomb in
 * test/engine-limits.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { headerValue, scenarioNames, validateScenario } from '@discotrace/lab';
import { CATALOGUE, HTTP_LOCATION, OWA_LOCATION, SECOND_ACCOUNT_EWS, WAF_403_BODY } from '../packages/lab/src/scenarios/catalogue.ts';
import { EXAMPLE_PASSWORD, EXAMPLE_USER, EXO_AUTODISCOVER_URL } from '../packages/lab/src/scenarios/example.ts';
import { assertCredentialsOnlyOverTls, assertNoCredentials, assertVerdict, authorized, candidate, codes, findings, notes, step, story, withEntry } from './utils/catalogue-run.ts';

const MAIL = 'mail.example.com';

describe('catalogue: redirects (§4.2)', () => {
  it('§4.2 / §8 #25: the port-80 GET redirected to /owa (IIS "redirect to OWA") is refused as not an Autodiscover path (REDIRECT_BAD_PATH) and never followed', async () => {
    await withEntry('redirect-port80-to-owa', (run) => {
      assertVerdict(run, 'not-found', 'REDIRECT_BAD_PATH');
      const get = step(run, 'http-redirect', 'http:get');
      assert.match(get.summary, new RegExp(`^302 → ${OWA_LOCATION.replace(/[./]/g, '\\$&')}`));
      const refused = step(run, 'http-redirect', 'walk:redirect');
      assert.equal(refused.status, 'fail');
      assert.deepEqual(codes(refused.findings), ['REDIRECT_BAD_PATH']);
      assert.equal(refused.data.accepted, false);
      assert.match(run.report.verdict.cause!.title, /\/owa\//);
      assert.match(run.report.verdict.cause!.fix, /\/autodiscover\/autodiscover\.xml/);
      assert.deepEqual(run.report.chain.map((h) => [h.kind, h.to, h.accepted]), [['http', OWA_LOCATION, false]]);
      assert.deepEqual(run.lab.requests.filter((r) => r.host === MAIL).map((r) => `${r.method} ${r.path}`), [], 'the OWA URL was never requested');
      const port80 = run.lab.requests.filter((r) => r.port === 80);
      assert.deepEqual(port80.map((r) => [r.method, authorized(r)]), [['GET', false]]);
      assertNoCredentials(run);
    });
  });

  it('§4.2 / §5.4 / §8 #23: the port-80 GET redirected to a plain-http Autodiscover URL is refused (REDIRECT_NOT_HTTPS); nothing is sent there', async () => {
    await withEntry('redirect-port80-to-http', (run) => {
      assertVerdict(run, 'not-found', 'REDIRECT_NOT_HTTPS');
      const refused = step(run, 'http-redirect', 'walk:redirect');
      assert.deepEqual([refused.status, codes(refused.findings), refused.data.accepted], ['fail', ['REDIRECT_NOT_HTTPS'], false]);
      assert.deepEqual(run.report.chain.map((h) => [h.kind, h.to, h.accepted]), [['http', HTTP_LOCATION, false]]);
      assert.deepEqual(run.lab.requests.filter((r) => r.host === MAIL).map((r) => `${r.method} ${r.host}:${r.port}${r.path}`), []);
      assertNoCredentials(run);
    });
  });
});

describe('catalogue: responses (§3.2, §6.1)', () => {
  it('§3.2: a UTF-8 byte-order mark before the XML is tolerated → found, with the BOM note', async () => {
    await withEntry('response-bom', (run) => {
      assertVerdict(run, 'found');
      assert.equal(run.report.verdict.settings?.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
      assert.ok(notes(run.phases).includes('BOM_STRIPPED'), story(run));
      const bom = findings(run.phases).find((f) => f.evidence?.note === 'BOM_STRIPPED')!;
      assert.equal(bom.severity, 'info', 'an oddity, not a warning');
      assert.match(bom.title, /byte-order mark/);
    });
  });

  it('§3.2 / §8 #39: https://schemas.microsoft.com/… namespaces in the response are tolerated → found, with a NAMESPACE_UNEXPECTED warning naming https', async () => {
    await withEntry('response-namespace-https', (run) => {
      assertVerdict(run, 'found');
      assert.equal(run.report.verdict.settings?.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
      const unexpected = findings(run.phases).filter((f) => f.evidence?.note === 'NAMESPACE_UNEXPECTED');
      assert.ok(unexpected.length >= 1, story(run));
      assert.ok(unexpected.every((f) => f.severity === 'warning' && /https:\/\/ instead of http:\/\//.test(f.title)), unexpected.map((f) => f.title).join('\n'));
      assert.ok(run.report.verdict.others.some((f) => f.evidence?.note === 'NAMESPACE_UNEXPECTED'), 'shown with the verdict: strict clients may reject it');
    });
  });

  it('§3.2: a response without any namespace is tolerated → found, with the NAMESPACE_MISSING note', async () => {
    await withEntry('response-namespace-missing', (run) => {
      assertVerdict(run, 'found');
      assert.equal(run.report.verdict.settings?.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
      assert.ok(notes(run.phases).includes('NAMESPACE_MISSING'), story(run));
    });
  });

  const ERRORS = {
    501: { message: 'No configuration options are available for this email address.', fix: /recipient type/i },
    601: { message: 'The requested schema version is not supported.', fix: /provider/i },
    602: { message: 'The configuration for this email address contains errors.', fix: /recipient/i },
  } as const;
  for (const [code, { message, fix }] of Object.entries(ERRORS)) {
    it(`§6.1 / §2.3: Autodiscover ErrorCode ${code} after sign-in → AD_ERROR_${code} leads the verdict with the server's Message; the endpoint counts as reached (error-response)`, async () => {
      await withEntry(`response-error-${code}`, (run) => {
        assertVerdict(run, 'not-found', `AD_ERROR_${code}`);
        const cause = run.report.verdict.cause!;
        assert.deepEqual([cause.evidence?.code, cause.evidence?.message], [code, message]);
        assert.ok(cause.title.includes(message), cause.title);
        assert.match(cause.fix, fix);
        assert.equal(candidate(run, 'autodiscover-https').status, 'error-response');
        const response = step(run, 'autodiscover-https', 'autodiscover:response');
        assert.equal(response.status, 'fail');
        const signedIn = run.lab.requests.filter(authorized);
        assert.equal(signedIn.length, 1, 'one sign-in, no retries');
        assert.equal(Buffer.from(headerValue(signedIn[0]!, 'authorization')!.slice(6), 'base64').toString(), `${EXAMPLE_USER}:${EXAMPLE_PASSWORD}`);
        assertCredentialsOnlyOverTls(run);
      });
    });
  }

  it('§3.2: several Account elements → the first is used, found, with the ACCOUNT_MULTIPLE warning', async () => {
    await withEntry('response-several-accounts', (run) => {
      assertVerdict(run, 'found');
      const s = run.report.verdict.settings!;
      assert.equal(s.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx', 'the first Account\'s settings');
      assert.ok(!JSON.stringify(s).includes(SECOND_ACCOUNT_EWS), 'nothing from the second Account');
      const multiple = run.report.verdict.others.find((f) => f.evidence?.note === 'ACCOUNT_MULTIPLE');
      assert.ok(multiple, story(run));
      assert.equal(multiple.severity, 'warning');
      assert.match(multiple.title, /2 Account elements/);
    });
  });
});

describe('catalogue: authentication (§5, §6.2)', () => {
  it('§6.2 / §8 #16: a WAF answering 403 "Access Denied" → POST_FORBIDDEN (named with the page title), no credentials sent', async () => {
    await withEntry('auth-403-forbidden', (run) => {
      assertVerdict(run, 'not-found', 'POST_FORBIDDEN');
      const cause = run.report.verdict.cause!;
      assert.equal(cause.evidence?.status, 403);
      assert.equal(cause.evidence?.title, 'Access Denied');
      assert.match(cause.fix, /WAF/);
      assert.match(run.report.verdict.headline, /autodiscover\.example\.com/, `the verdict names the host that refused: ${run.report.verdict.headline}`);
      const post = step(run, 'autodiscover-https', 'http:post');
      assert.equal(post.status, 'fail');
      assert.equal((post.data.exchange as { bodyExcerpt: string }).bodyExcerpt, WAF_403_BODY);
      assert.equal(step(run, 'autodiscover-https', 'tls:client-cert').status, 'pass', 'a WAF 403 is not a client-certificate demand (403.7)');
      assertNoCredentials(run);
    });
  });

  it('§5.3 / §8 #31: Exchange Online rejects Basic with X-AutoDiscovery-Error BasicAuthBlocked → EXO_BASIC_AUTH_BLOCKED ("use modern auth"), never "wrong password"', async () => {
    await withEntry('auth-exo-basic-blocked', (run) => {
      assertVerdict(run, 'not-found', 'EXO_BASIC_AUTH_BLOCKED');
      const cause = run.report.verdict.cause!;
      assert.match(String(cause.evidence?.xAutoDiscoveryError), /BasicAuthBlocked/);
      assert.match(cause.fix, /token|modern/i);
      assert.ok(!codes(findings(run.phases)).includes('AUTH_REJECTED'), `not a bad password\n${story(run)}`);
      assert.deepEqual(run.report.chain.map((h) => [h.kind, h.to, h.accepted]), [['http', EXO_AUTODISCOVER_URL, true]]);
      // Bearer and Basic were offered; with a password only, Basic went once, over TLS, to Exchange Online.
      const signedIn = run.lab.requests.filter(authorized);
      assert.deepEqual(signedIn.map((r) => [r.host, r.tls, headerValue(r, 'authorization')!.split(' ')[0], r.status]), [['autodiscover-s.outlook.com', true, 'Basic', 401]]);
      assertCredentialsOnlyOverTls(run);
    });
  });
});

describe('the catalogue itself', () => {
  it('every catalogue scenario is registered, valid, cites the reference, and is run by a test/scenarios-*.test.ts file', () => {
    const names = scenarioNames();
    const testDir = import.meta.dirname;
    const tests = readdirSync(testDir).filter((f) => /^scenarios-.*\.test\.ts$/.test(f)).map((f) => readFileSync(path.join(testDir, f), 'utf8')).join('\n');
    for (const [name, entry] of Object.entries(CATALOGUE)) {
      assert.ok(names.includes(name), `${name} is in the registry`);
      assert.equal(validateScenario(entry.scenario).name, name);
      assert.match(entry.ref, /^§\d/, `${name} cites the reference`);
      assert.equal(entry.address, entry.scenario.users[0]!.address);
      const numbered = '`' + name.replace(/\d+$/, '${code}') + '`'; // response-error-${code}
      assert.ok(tests.includes(`'${name}'`) || tests.includes(numbered), `${name} is run by a scenarios test`);
    }
  });
});
