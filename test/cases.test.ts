/**
 * Every real-world failure case of ../shared/cases/ as a lab scenario (packages/lab/src/scenarios/
 * cases.ts), run through the whole local pipeline (state machine + handlers): the verdict, its
 * leading cause and the key findings of the case's "Correct tool behaviour" (cases/README.md) as
 * they map to our finding codes, plus what the lab saw (where credentials went, what was re-sent).
 *
 * Cases without a lab scenario, and where they are covered instead:
 * - BUG-15-header-case.txt — response header names arrive lower-cased in Node and capability
 *   values vary in case and padding. Pure header parsing: test/autodiscover-cases.test.ts (the
 *   transcript through getHeader/isTruthyHeader) and test/autodiscover-challenge.test.ts
 *   (getHeader, looksLikeExchange, isTruthyHeader). The walk never reads those SOAP capability
 *   headers, so a scenario would assert nothing more.
 * - BUG-17-v2-invalid-protocol.json, BUG-17-v2-scenario.txt — Autodiscover v2 (JSON) only; the walk
 *   does not probe v2 yet (README "Status"). URL building, protocol spelling and the JSON answers:
 *   test/autodiscover-v2.test.ts and test/autodiscover-cases.test.ts.
 * - BASELINE-settings-expr.xml is not a case: it is the good answer several scenarios serve.
 *
 * Scenario data is checked against the case files at the end (the lab embeds it; it never reads
 * ../shared at run time).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, PhaseTrace, Step } from '@discotrace/core';
import {
  CASES,
  headerValue,
  type CaseScenario,
  type LabRequest,
} from '@discotrace/lab';
import {
  BUG01_ADDRESS,
  BUG01_LOCATION,
  BUG02_BODY,
  BUG02_LOCATION,
  BUG06_XML,
  BUG07_BODY,
  BUG07_REASON,
  BUG08_404_BODY,
  BUG08_PAGE,
  BUG09_XML,
  BUG10_500_XML,
  BUG10_603_XML,
  BUG11_TENANT_ADDRESS,
  BUG11_XML,
  BUG14_404_BODY,
  BUG16_403_BODY,
  BUG19_CHALLENGE,
  BUG19_V2_BODY,
  BUG20_BODY,
  BUG21_CONTENT_TYPES,
  BUG21_PRETTY_EWSURL,
  BUG23_REQUEST_ID,
  BUG24_VARIANTS,
  bug01,
  bug07,
  DERIVED01_ADDRESS,
  DERIVED01_UPPERCASE_ADDRESS,
} from '../packages/lab/src/scenarios/cases.ts';
import { BASELINE_SETTINGS_XML, EXAMPLE_PASSWORD, EXAMPLE_USER, EXO_AUTODISCOVER_URL } from '../packages/lab/src/scenarios/example.ts';
import { runCase, type CaseRun } from './utils/case-run.ts';
import { bug21Variants, casesDir, fixtureFiles, readCase } from './utils/autodiscover-fixtures.ts';
import { extractTranscriptResponses, type TranscriptResponse } from './utils/raw-http.ts';

type Run = CaseRun;

/** Runs a case scenario with the address and credentials it exports; always closes the lab. */
async function withCase(name: string, check: (run: Run, c: CaseScenario) => Promise<void> | void): Promise<void> {
  const c = CASES[name];
  assert.ok(c, `no case scenario "${name}"`);
  const run = await runCase(c);
  try {
    await check(run, c);
  } finally {
    await run.close();
  }
}

function steps(phases: PhaseTrace[]): Step[] {
  return phases.flatMap((p) => p.candidates.flatMap((c) => c.steps));
}

function findings(phases: PhaseTrace[]): Finding[] {
  return steps(phases).flatMap((s) => s.findings);
}

function codes(list: Finding[]): string[] {
  return list.map((f) => f.code);
}

function find(phases: PhaseTrace[], code: string): Finding | undefined {
  return findings(phases).find((f) => f.code === code);
}

/** The (first) candidate of a phase with this source. */
function candidate(run: Run, source: string, phase = 0) {
  const c = run.phases[phase]!.candidates.find((x) => x.source === source);
  assert.ok(c, `phase ${phase} has no ${source} candidate`);
  return c;
}

/** Every RESPONSE_NOTE code on the steps. */
function notes(phases: PhaseTrace[]): string[] {
  return findings(phases).filter((f) => f.code === 'RESPONSE_NOTE').map((f) => String(f.evidence?.note));
}

/** One line per step for assertion messages: what the engine did. */
function story(run: Run): string {
  const v = run.report.verdict;
  const lines = [`verdict ${v.status}, cause ${v.cause?.code ?? '-'}: ${v.headline}`, `others: ${codes(v.others).join(', ')}`];
  for (const p of run.phases) {
    for (const c of p.candidates) {
      lines.push(`[${p.index}] ${c.title} → ${c.status}`);
      for (const s of c.steps) lines.push(`    ${s.status} ${s.title} — ${s.summary} ${codes(s.findings).join(',')}`);
    }
  }
  return lines.join('\n');
}

function assertVerdict(run: Run, status: 'found' | 'not-found' | 'incomplete', cause?: string): void {
  const v = run.report.verdict;
  assert.equal(v.status, status, story(run));
  assert.equal(v.cause?.code, cause, story(run));
}

const authorized = (r: LabRequest) => headerValue(r, 'authorization') !== undefined;

function basicUser(r: LabRequest): string | undefined {
  const value = headerValue(r, 'authorization');
  if (!value?.startsWith('Basic ')) return undefined;
  return Buffer.from(value.slice(6), 'base64').toString('utf8');
}

/** Credentials only ever went over TLS (never on port 80). */
function assertCredentialsOnlyOverTls(run: Run): void {
  const leaked = run.lab.requests.filter((r) => authorized(r) && !r.tls);
  assert.deepEqual(leaked.map((r) => `${r.method} ${r.host}:${r.port}${r.path}`), [], 'credentials sent without TLS');
}

// ───────────────────────────── the cases ─────────────────────────────

describe('real-world cases in the lab (../shared/cases)', () => {
  it('BUG-01-o365-302-mailbox-path.txt: 302 on the authenticated POST (same host, explicit :443, mailbox path) is followed by re-POSTing the same body → found', async () => {
    await withCase('bug-01-o365-302-mailbox-path', (run) => {
      assertVerdict(run, 'found');
      const normalized = BUG01_LOCATION.replace(':443', '');
      assert.deepEqual(
        run.report.chain.map((h) => [h.kind, h.to, h.accepted]),
        [['http', EXO_AUTODISCOVER_URL, true], ['http', normalized, true]],
        'the redirect chain is shown, :443 normalised away',
      );
      const hop = find(run.phases, 'REDIRECT_URL');
      assert.ok(hop, story(run));
      assert.match(hop.title, /sharedbox/);
      assert.equal(run.phases[0]!.outcome?.kind === 'settings' && run.phases[0]!.outcome.url, normalized);
      assert.equal(run.report.verdict.settings?.autoDiscoverSmtpAddress, BUG01_ADDRESS);
      // Re-POSTed, not turned into a GET; credentials re-sent (same scheme, host and port).
      const onMailboxPath = run.lab.requests.filter((r) => /\/sharedbox\//i.test(r.path));
      assert.ok(onMailboxPath.length > 0, 'the Location was requested');
      assert.ok(onMailboxPath.every((r) => r.method === 'POST' && r.tls && r.host === 'autodiscover-s.outlook.com'));
      assert.ok(onMailboxPath.every((r) => r.body.includes(`<EMailAddress>${BUG01_ADDRESS}</EMailAddress>`)));
      assert.ok(onMailboxPath.some((r) => basicUser(r) === `${BUG01_ADDRESS}:${EXAMPLE_PASSWORD}`));
      assertCredentialsOnlyOverTls(run);
    });
  });

  for (const status of [301, 302, 307, 308] as const) {
    it(`BUG-02-http-redirect-301.txt: the HTTP redirect method answered ${status} is a redirect; no credentials on port 80 → found at the HTTPS Location`, async () => {
      await withCase(`bug-02-http-redirect-${status}`, (run) => {
        assertVerdict(run, 'found');
        const last = run.phases.at(-1)!;
        assert.equal(last.outcome?.kind === 'settings' && last.outcome.url, BUG02_LOCATION);
        assert.deepEqual(run.report.chain.map((h) => [h.kind, h.to, h.accepted]), [['http', BUG02_LOCATION, true]]);
        const method = candidate(run, 'http-redirect');
        const get = method.steps.find((s) => s.kind === 'http:get');
        assert.ok(get, story(run));
        assert.match(get.summary, new RegExp(`^${status} → ${BUG02_LOCATION.replace(/[.]/g, '\\.')}`));
        assert.ok(codes(method.steps.flatMap((s) => s.findings)).includes('HTTP_REDIRECT_FOUND'), story(run));
        // 301/302 are what RCA and every client accept; 307/308 are followed but flagged.
        const unusual = codes(run.report.verdict.others).includes('HTTP_REDIRECT_UNUSUAL_STATUS');
        assert.equal(unusual, status === 307 || status === 308, story(run));
        assert.equal(get.status, status === 307 || status === 308 ? 'warn' : 'pass');
        // Never credentials on the port-80 request; the authenticated POST went to the validated HTTPS URL.
        const port80 = run.lab.requests.filter((r) => r.port === 80);
        assert.deepEqual(port80.map((r) => [r.method, authorized(r)]), [['GET', false]]);
        const signedIn = run.lab.requests.filter(authorized);
        assert.ok(signedIn.length > 0 && signedIn.every((r) => r.tls && r.host === 'mail.example-hoster.net' && r.method === 'POST'));
      });
    });
  }

  it('BUG-05-root-domain-cert-mismatch.txt: certificate name mismatch on the bare domain is a warning, discovery continues → found with the warning', async () => {
    await withCase('bug-05-root-domain-cert-mismatch', (run) => {
      assertVerdict(run, 'found');
      const root = candidate(run, 'root-https');
      const name = root.steps.find((s) => s.kind === 'tls:cert-name');
      assert.ok(name && (name.status === 'warn' || name.status === 'fail'), story(run));
      const mismatch = name.findings.find((f) => f.code === 'CERT_NAME_MISMATCH');
      assert.ok(mismatch, story(run));
      assert.match(mismatch.title, /www\.example\.com/, 'names what the certificate presents');
      assert.equal(mismatch.severity, 'warning');
      assert.match(mismatch.fix, /certificate prompt/, 'Outlook users may see a certificate prompt');
      assert.ok(codes(run.report.verdict.others).includes('CERT_NAME_MISMATCH'), 'shown as a warning of the found verdict');
      // Issuer and chain are in the trace.
      const handshake = root.steps.find((s) => s.kind === 'tls:handshake');
      assert.ok(Array.isArray(handshake?.data.chain) && (handshake.data.chain as unknown[]).length > 0);
      // Step 2 passes: the mismatch did not abort discovery.
      assert.equal(candidate(run, 'autodiscover-https').status, 'settings');
      assert.equal(run.lab.requests.filter((r) => r.host === 'example.com' && authorized(r)).length, 0, 'no credentials to the mismatching host');
    });
  });

  it('BUG-06-expr-missing-exch-only.xml: settings without EXPR parse; "EXPR missing" and the internal EWS host are warned about → found', async () => {
    await withCase('bug-06-expr-missing-exch-only', (run) => {
      assertVerdict(run, 'found');
      const s = run.report.verdict.settings!;
      assert.equal(s.ewsUrl, 'https://ex01.corp.example.local/EWS/Exchange.asmx', 'EXCH EwsUrl as the fallback');
      assert.deepEqual(s.protocols.map((p) => p.type), ['EXCH', 'WEB']);
      assert.deepEqual(notes(run.phases).sort(), ['EXPR_MISSING', 'INTERNAL_HOST']);
      const internal = findings(run.phases).find((f) => f.evidence?.note === 'INTERNAL_HOST')!;
      assert.match(internal.title, /ex01\.corp\.example\.local/);
      for (const f of findings(run.phases).filter((x) => x.code === 'RESPONSE_NOTE')) assert.equal(f.severity, 'warning', f.title);
      assert.equal(run.report.verdict.others.filter((f) => f.code === 'RESPONSE_NOTE').length, 2, 'both shown with the verdict');
      assert.equal(candidate(run, 'autodiscover-https').steps.find((x) => x.kind === 'autodiscover:response')?.status, 'warn');
    });
  });

  it('BUG-07-proxy-401-html-multi-auth.txt: 401 without Exchange headers after signing in → an intermediate proxy rejected the credentials (AUTH_PROXY_REJECTED), never "not found"', async () => {
    await withCase('bug-07-proxy-401-html-multi-auth', (run) => {
      assertVerdict(run, 'not-found', 'AUTH_PROXY_REJECTED');
      assert.match(run.report.verdict.cause!.title, /https:\/\/autodiscover\.example\.com\//, 'names the URL');
      const host = candidate(run, 'autodiscover-https');
      const anonymous = host.steps.find((s) => s.kind === 'http:post' && (s.data.exchange as { auth?: string })?.auth === 'none');
      assert.ok(anonymous, story(run));
      const ex = anonymous.data.exchange as { status: number; statusText: string; responseHeaders: [string, string][]; bodyExcerpt: string };
      assert.equal(ex.status, 401);
      assert.equal(ex.statusText, BUG07_REASON, 'the reason phrase is kept');
      assert.deepEqual(ex.responseHeaders.filter(([n]) => n.toLowerCase() === 'www-authenticate').map(([, v]) => v), ['Negotiate', 'Kerberos', 'NTLM', 'Basic realm="autodiscover.example.com"']);
      assert.ok(ex.responseHeaders.some(([n, v]) => n.toLowerCase() === 'proxy-support' && v === 'Session-Based-Authentication'));
      assert.equal(anonymous.data.exchangeHeaders, false, 'no Exchange markers');
      const kerberos = find(run.phases, 'AUTH_NONSTANDARD_SCHEME');
      assert.ok(kerberos, 'the bogus "Kerberos" scheme is flagged');
      assert.equal(kerberos.evidence?.scheme, 'Kerberos');
      // Credentials were sent with a matching scheme (Basic), once, over TLS.
      const signedIn = run.lab.requests.filter(authorized);
      assert.equal(signedIn.length, 1);
      assert.equal(basicUser(signedIn[0]!), `${EXAMPLE_USER}:${EXAMPLE_PASSWORD}`);
      assertCredentialsOnlyOverTls(run);
    });
  });

  it('BUG-08-html-200-page.txt: a 200 web page is named with its title, never parsed as Autodiscover → RESPONSE_HTML_PAGE', async () => {
    await withCase('bug-08-html-200-page', (run) => {
      assertVerdict(run, 'not-found', 'RESPONSE_HTML_PAGE');
      assert.match(run.report.verdict.cause!.title, /Example Corp - Welcome/);
      assert.match(run.report.verdict.headline, /Example Corp - Welcome/);
      // Root and autodiscover host both got the page; each is named, neither crashed the walk.
      for (const source of ['root-https', 'autodiscover-https']) {
        const c = candidate(run, source);
        assert.ok(codes(c.steps.flatMap((s) => s.findings)).includes('RESPONSE_HTML_PAGE'), `${source}\n${story(run)}`);
        const post = c.steps.find((s) => s.kind === 'http:post')!;
        assert.match((post.data.exchange as { bodyExcerpt: string }).bodyExcerpt, /<title>Example Corp - Welcome<\/title>/, 'a text excerpt is kept in the trace');
      }
      const all = codes(findings(run.phases));
      assert.ok(!all.includes('RESPONSE_NOT_XML') && !all.includes('PHASE_CRASHED'), all.join());
      assert.equal(run.phases[0]!.state, 'complete');
      // It continued with the next candidates.
      assert.ok(candidate(run, 'http-redirect').steps.some((s) => s.kind === 'http:get'));
      assert.ok(candidate(run, 'srv').steps.some((s) => s.kind === 'dns:srv'));
      assert.equal(run.lab.requests.filter(authorized).length, 0, 'a 200 without a challenge never gets credentials');
    });
  });

  it('BUG-08-html-404-page.txt: a 404 HTML page is a missing endpoint, named, and never parsed as XML → POST_NOT_FOUND', async () => {
    await withCase('bug-08-html-404-page', (run) => {
      assertVerdict(run, 'not-found', 'POST_NOT_FOUND');
      assert.equal(run.report.verdict.cause!.evidence?.title, '404 Not Found');
      assert.match(run.report.verdict.headline, /404 Not Found/);
      assert.deepEqual(steps(run.phases).filter((s) => s.kind === 'autodiscover:response').map((s) => s.summary), [], 'only 200 answers are parsed');
      assert.deepEqual(codes(findings(run.phases)).filter((c) => c.startsWith('RESPONSE_')), []);
    });
  });

  it('BUG-09-errorcode-600.xml: ErrorCode 600 to our own POST → AD_ERROR_600 with Id/Time, and the request body we sent is in the trace', async () => {
    await withCase('bug-09-errorcode-600', (run) => {
      assertVerdict(run, 'not-found', 'AD_ERROR_600');
      const ev = run.report.verdict.cause!.evidence!;
      assert.deepEqual([ev.code, ev.message, ev.id, ev.time], ['600', 'Invalid Request', '1234567890', '10:15:42.1234567']);
      assert.match(run.report.verdict.headline, /Id 1234567890/);
      const host = candidate(run, 'autodiscover-https');
      assert.equal(host.status, 'error-response', 'endpoint reached: a server-side answer, not a connectivity failure');
      const signedIn = host.steps.find((s) => s.kind === 'http:post' && (s.data.exchange as { auth?: string })?.auth === 'basic');
      const body = (signedIn?.data.exchange as { requestBody?: string })?.requestBody ?? '';
      assert.match(body, /<EMailAddress>user1@example\.com<\/EMailAddress>/);
      assert.match(body, /<AcceptableResponseSchema>http:\/\/schemas\.microsoft\.com\/exchange\/autodiscover\/outlook\/responseschema\/2006a<\/AcceptableResponseSchema>/);
      // Our request did carry the address: the 600 is the server's doing.
      assert.ok(run.lab.requests.filter(authorized).every((r) => r.body.includes('<EMailAddress>user1@example.com</EMailAddress>')));
    });
  });

  it('BUG-10-errorcode-603.xml: ErrorCode 603 inside a 200 → AD_ERROR_603 with Message, Id and Time; the remaining candidates are still tried', async () => {
    await withCase('bug-10-errorcode-603', (run) => {
      assertVerdict(run, 'not-found', 'AD_ERROR_603');
      const ev = run.report.verdict.cause!.evidence!;
      assert.deepEqual([ev.code, ev.message, ev.id, ev.time], ['603', 'Server Error', '987654321', '14:02:19']);
      assert.match(run.report.verdict.headline, /Server Error/, 'the message is not hidden');
      assert.equal(candidate(run, 'autodiscover-https').status, 'error-response');
      assert.ok(candidate(run, 'http-redirect').steps.some((s) => s.kind === 'tcp:connect'));
      assert.ok(candidate(run, 'srv').steps.some((s) => s.kind === 'dns:srv'));
    });
  });

  it('BUG-10-errorcode-500.xml: ErrorCode 500 inside a 200 → AD_ERROR_500 ("address can\'t be found"), fix points at the address / proxyAddresses', async () => {
    await withCase('bug-10-errorcode-500', (run) => {
      assertVerdict(run, 'not-found', 'AD_ERROR_500');
      const cause = run.report.verdict.cause!;
      assert.deepEqual([cause.evidence!.message, cause.evidence!.id, cause.evidence!.time], ["The e-mail address can't be found.", '2715829403', '08:01:12.5550000']);
      assert.match(cause.fix, /proxyAddresses/);
      assert.equal(candidate(run, 'autodiscover-https').status, 'error-response');
    });
  });

  it('BUG-11-redirectaddr-hybrid.xml: redirectAddr to the tenant routing address restarts discovery (Exchange Online phase) with the original credentials → found', async () => {
    await withCase('bug-11-redirectaddr-hybrid', (run) => {
      assertVerdict(run, 'found');
      assert.deepEqual(run.phases.map((p) => [p.role, p.address]), [['onprem', EXAMPLE_USER], ['cloud', BUG11_TENANT_ADDRESS]]);
      assert.deepEqual(
        run.report.chain.map((h) => [h.kind, h.from, h.to, h.accepted]),
        [['redirectAddr', EXAMPLE_USER, BUG11_TENANT_ADDRESS, true], ['http', `http://autodiscover.exampletenant.mail.onmicrosoft.com/Autodiscover/Autodiscover.xml`, EXO_AUTODISCOVER_URL, true]],
      );
      const response = candidate(run, 'autodiscover-https').steps.find((s) => s.kind === 'autodiscover:response');
      assert.match(response?.summary ?? '', new RegExp(`Action=redirectAddr → ${BUG11_TENANT_ADDRESS.replace(/\./g, '\\.')}`));
      const handoff = find([run.phases[0]!], 'HANDOFF_TENANT_ROUTING');
      assert.ok(handoff, story(run));
      assert.match(handoff.title, /Exchange Online/);
      const s = run.report.verdict.settings!;
      assert.equal(s.microsoftOnline, true);
      assert.equal(s.ewsUrl, 'https://outlook.office365.com/EWS/Exchange.asmx');
      // On-premises: Basic as the user; Exchange Online: the token, anchored on the tenant address.
      const onPrem = run.lab.requests.filter((r) => r.host === 'autodiscover.example.com' && authorized(r));
      assert.ok(onPrem.length > 0 && onPrem.every((r) => basicUser(r) === `${EXAMPLE_USER}:${EXAMPLE_PASSWORD}`));
      const exo = run.lab.requests.filter((r) => r.host === 'autodiscover-s.outlook.com' && authorized(r));
      assert.ok(exo.length > 0 && exo.every((r) => headerValue(r, 'authorization')!.startsWith('Bearer ')), 'no Basic to Exchange Online');
      assert.ok(exo.every((r) => r.body.includes(`<EMailAddress>${BUG11_TENANT_ADDRESS}</EMailAddress>`)));
      // The tenant routing name's missing HTTPS endpoint is expected, never a warning of the verdict.
      assert.deepEqual(codes(run.report.verdict.others).filter((c) => c.startsWith('DNS_') || c.startsWith('TCP_')), []);
      assertCredentialsOnlyOverTls(run);
    });
  });

  it('BUG-14-path-case-sensitive.txt: 404 on Outlook\'s /Autodiscover/Autodiscover.xml, the lowercase path works → PATH_CASE_SENSITIVE, settings from the lowercase path', async () => {
    await withCase('bug-14-path-case-sensitive', (run) => {
      assertVerdict(run, 'found');
      assert.equal(run.phases[0]!.outcome?.kind === 'settings' && run.phases[0]!.outcome.url, 'https://autodiscover.example.com/autodiscover/autodiscover.xml');
      const f = run.report.verdict.others.find((x) => x.code === 'PATH_CASE_SENSITIVE');
      assert.ok(f, `PATH_CASE_SENSITIVE is reported with the verdict\n${story(run)}`);
      assert.deepEqual([f.evidence?.outlookPath, f.evidence?.workingPath], ['/Autodiscover/Autodiscover.xml', '/autodiscover/autodiscover.xml']);
      const onHost = run.lab.requests.filter((r) => r.host === 'autodiscover.example.com');
      assert.ok(onHost.some((r) => r.path === '/Autodiscover/Autodiscover.xml' && r.status === 404), 'Outlook\'s spelling was probed first');
      assert.ok(onHost.some((r) => r.path === '/autodiscover/autodiscover.xml' && r.status === 200 && authorized(r)));
      assert.ok(onHost.filter(authorized).every((r) => r.path === '/autodiscover/autodiscover.xml'));
    });
  });

  it('BUG-16-http-redirect-403.txt: 403 on the HTTP redirect method is "not configured", not fatal; SRV leads to mail.example.com → found', async () => {
    await withCase('bug-16-http-redirect-403', (run) => {
      assertVerdict(run, 'found');
      assert.equal(run.phases[0]!.outcome?.kind === 'settings' && run.phases[0]!.outcome.url, 'https://mail.example.com/Autodiscover/Autodiscover.xml');
      const method = candidate(run, 'http-redirect');
      const get = method.steps.find((s) => s.kind === 'http:get');
      assert.equal(get?.status, 'fail', story(run));
      const notConfigured = get!.findings.find((f) => f.code === 'HTTP_REDIRECT_NOT_CONFIGURED');
      assert.ok(notConfigured, story(run));
      assert.equal(notConfigured.evidence?.status, 403);
      assert.equal(candidate(run, 'srv').status, 'settings');
      assert.ok(find(run.phases, 'SRV_TARGET'), story(run));
      assert.ok(!codes(run.report.verdict.others).includes('HTTP_REDIRECT_NOT_CONFIGURED'), 'not a warning once SRV worked');
      const port80 = run.lab.requests.filter((r) => r.port === 80);
      assert.ok(port80.length === 1 && !authorized(port80[0]!), 'no credentials on port 80');
      assert.ok(run.lab.requests.filter(authorized).every((r) => r.host === 'mail.example.com' && r.tls));
    });
  });

  it('BUG-19-o365-basic-disabled.txt: Exchange Online offers only Bearer and the user has only a password → EXO_OAUTH_REQUIRED (not "could not be located")', async () => {
    await withCase('bug-19-o365-basic-disabled', (run) => {
      assertVerdict(run, 'not-found', 'EXO_OAUTH_REQUIRED');
      assert.match(run.report.verdict.cause!.title, /autodiscover-s\.outlook\.com/);
      assert.equal(run.lab.requests.filter(authorized).length, 0, 'Basic is not offered, so no password is sent');
    });
  });

  it('BUG-20-http-456-mfa.txt: 456 (no reason phrase) with AADSTS50076 after Basic sign-in → AUTH_MFA_REQUIRED', async () => {
    await withCase('bug-20-http-456-mfa', (run) => {
      assertVerdict(run, 'not-found', 'AUTH_MFA_REQUIRED');
      const aadsts = run.report.verdict.cause!.evidence?.aadsts as Array<{ code: string }>;
      assert.deepEqual(aadsts.map((c) => c.code), ['AADSTS50076']);
      const step = steps(run.phases).find((s) => s.findings.some((f) => f.code === 'AUTH_MFA_REQUIRED'))!;
      assert.match(step.summary, /^456/);
      assert.equal((step.data.exchange as { status: number }).status, 456);
    });
  });

  for (const [suffix, contentType] of Object.entries(BUG21_CONTENT_TYPES)) {
    const expected = contentType === undefined ? ['CONTENT_TYPE_MISSING'] : contentType.startsWith('text/html') ? ['CONTENT_TYPE_HTML'] : [];
    it(`BUG-21-content-type-variants.txt: BASELINE with ${contentType === undefined ? 'no Content-Type' : `Content-Type "${contentType}"`} parses${expected.length ? ` (${expected[0]} noted)` : ''}; the request sends exactly "text/xml; charset=utf-8" → found`, async () => {
      await withCase(`bug-21-content-type-${suffix}`, (run) => {
        assertVerdict(run, 'found');
        assert.equal(run.report.verdict.settings?.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
        assert.deepEqual(notes(run.phases), expected);
        const posts = run.lab.requests.filter((r) => r.method === 'POST');
        assert.ok(posts.length > 0);
        for (const r of posts) assert.equal(headerValue(r, 'content-type'), 'text/xml; charset=utf-8');
        const signedIn = candidate(run, 'autodiscover-https').steps.find((s) => (s.data.exchange as { auth?: string })?.auth === 'basic');
        assert.equal((signedIn?.data.exchange as { contentType?: string }).contentType, contentType, 'the raw header is kept in the trace');
      });
    });
  }

  it('BUG-21-content-type-variants.txt: a pretty-printed <EwsUrl> is whitespace-trimmed → found', async () => {
    await withCase('bug-21-pretty-printed-ewsurl', (run) => {
      assertVerdict(run, 'found');
      const s = run.report.verdict.settings!;
      assert.equal(s.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
      assert.equal(s.protocols.find((p) => p.type === 'EXPR')?.ewsUrl, 'https://mail.example.com/EWS/Exchange.asmx');
    });
  });

  it('BUG-23-wrong-password.txt: 401 from real Exchange after Basic → AUTH_REJECTED leads (Exchange headers present), above port 80 and SRV; no retries', async () => {
    await withCase('bug-23-wrong-password', (run) => {
      assertVerdict(run, 'not-found', 'AUTH_REJECTED');
      const cause = run.report.verdict.cause!;
      assert.match(cause.title, /autodiscover\.example\.com/);
      assert.match(cause.title, /Exchange headers present/);
      assert.equal(cause.evidence?.exchangeHeaders, true);
      assert.doesNotMatch(run.report.verdict.headline, /SRV|NXDOMAIN|nonexistent|does not exist/i);
      // The later failures are still listed, below the credentials.
      assert.ok(codes(run.report.verdict.others).includes('HTTP_REDIRECT_NOT_CONFIGURED'), story(run));
      assert.ok(find(run.phases, 'SRV_NOT_FOUND'));
      // One sign-in, no back-off retries; never on port 80.
      const signedIn = run.lab.requests.filter(authorized);
      assert.equal(signedIn.length, 1, signedIn.map((r) => `${r.method} ${r.host}${r.path}`).join('\n'));
      assert.ok(signedIn[0]!.tls && signedIn[0]!.host === 'autodiscover.example.com');
      assertCredentialsOnlyOverTls(run);
    });
  });

  for (const [suffix, variant] of Object.entries(BUG24_VARIANTS)) {
    const name = suffix ? `bug-24-empty-200-${suffix}` : 'bug-24-empty-200';
    it(`BUG-24-empty-200.txt: 200 with an empty body (${variant.note}) is its own finding, not a parser error → RESPONSE_EMPTY; the other candidates are still tried`, async () => {
      await withCase(name, (run) => {
        assertVerdict(run, 'not-found', 'RESPONSE_EMPTY');
        const cause = run.report.verdict.cause!;
        assert.equal(cause.evidence?.reason, 'EMPTY_BODY');
        assert.match(cause.fix, /permissions|script/i, 'hints that the generator produced nothing for this user');
        const all = codes(findings(run.phases));
        assert.ok(!all.includes('RESPONSE_NOT_XML') && !all.includes('PHASE_CRASHED') && !all.includes('HTTP_ERROR'), all.join());
        const signedIn = candidate(run, 'autodiscover-https').steps.find((s) => (s.data.exchange as { auth?: string })?.auth === 'basic')!;
        assert.equal((signedIn.data.exchange as { bodyBytes: number }).bodyBytes, Buffer.byteLength(variant.body));
        assert.ok(candidate(run, 'http-redirect').steps.some((s) => s.kind === 'tcp:connect'));
        assert.ok(candidate(run, 'srv').steps.some((s) => s.kind === 'dns:srv'));
      });
    });
  }

  it("DERIVED-01-plus-address.txt: '+' stays literal in the POX body and the Basic user name → found", async () => {
    await withCase('derived-01-plus-address', (run) => {
      assertVerdict(run, 'found');
      assert.equal(run.report.verdict.settings?.autoDiscoverSmtpAddress, DERIVED01_ADDRESS);
      const posts = run.lab.requests.filter((r) => r.method === 'POST' && r.host === 'autodiscover.example.com');
      assert.ok(posts.length > 0 && posts.every((r) => r.body.includes('<EMailAddress>first.last+sales@example.com</EMailAddress>')));
      assert.ok(posts.filter(authorized).every((r) => basicUser(r) === `${DERIVED01_ADDRESS}:${EXAMPLE_PASSWORD}`));
    });
  });

  it('DERIVED-01-plus-address.txt: User1@Example.COM — DNS and host names lower-case, local part sent unchanged → found', async () => {
    await withCase('derived-01-uppercase-address', (run) => {
      assertVerdict(run, 'found');
      assert.ok(run.lab.dnsQueries.length > 0);
      assert.deepEqual(run.lab.dnsQueries.filter((q) => q.name !== q.name.toLowerCase()).map((q) => q.name), [], 'DNS names lower-case');
      assert.deepEqual(run.lab.requests.filter((r) => r.sni !== undefined && r.sni !== r.sni.toLowerCase()).map((r) => r.sni), [], 'SNI lower-case');
      const posts = run.lab.requests.filter((r) => r.method === 'POST' && r.host === 'autodiscover.example.com');
      assert.ok(posts.length > 0);
      for (const r of posts) assert.match(r.body, /<EMailAddress>User1@(example\.com|Example\.COM)<\/EMailAddress>/, 'local part unchanged');
      assert.ok(DERIVED01_UPPERCASE_ADDRESS.startsWith('User1@'));
    });
  });
});

// ───────────────────────────── the scenarios are the cases ─────────────────────────────

describe('case scenarios are the case files', () => {
  const NOT_IN_THE_LAB = new Set(['BASELINE-settings-expr.xml', 'BUG-15-header-case.txt', 'BUG-17-v2-invalid-protocol.json', 'BUG-17-v2-scenario.txt']);

  it('every case file has a scenario (or is listed above as covered elsewhere), and every scenario a case file', () => {
    const files = fixtureFiles(casesDir);
    const covered = new Set(Object.values(CASES).map((c) => c.file));
    assert.deepEqual(files.filter((f) => !NOT_IN_THE_LAB.has(f) && !covered.has(f)), []);
    assert.deepEqual([...covered].filter((f) => !files.includes(f)), []);
    for (const [name, c] of Object.entries(CASES)) {
      assert.equal(c.scenario.name, name);
      assert.ok(c.file.toLowerCase().startsWith(name.split('-').slice(0, 2).join('-')), `${name} is named after ${c.file}`);
    }
  });

  it('embedded XML bodies are the case files, byte for byte', () => {
    assert.equal(BASELINE_SETTINGS_XML, readCase('BASELINE-settings-expr.xml'));
    assert.equal(BUG06_XML, readCase('BUG-06-expr-missing-exch-only.xml'));
    assert.equal(BUG09_XML, readCase('BUG-09-errorcode-600.xml'));
    assert.equal(BUG10_603_XML, readCase('BUG-10-errorcode-603.xml'));
    assert.equal(BUG10_500_XML, readCase('BUG-10-errorcode-500.xml'));
    assert.equal(BUG11_XML, readCase('BUG-11-redirectaddr-hybrid.xml'));
  });

  /** The transcript's headers without Content-Length (the lab computes the real one). */
  const headersOf = (r: TranscriptResponse) => r.headers.filter(([n]) => n.toLowerCase() !== 'content-length');
  const transcript = (file: string) => extractTranscriptResponses(readCase(file));

  it('transcript statuses, reason phrases, headers and bodies are the ones the scenarios serve', () => {
    const [b01] = transcript('BUG-01-o365-302-mailbox-path.txt');
    const exo = (bug01.endpoints.find((e) => e.host === 'autodiscover-s.outlook.com')!.behaviour as { routes: Array<{ behaviour: { answers: Record<string, { headers: unknown; status: number }> } }> }).routes[0]!.behaviour.answers[BUG01_ADDRESS]!;
    assert.equal(exo.status, b01!.status);
    assert.deepEqual(exo.headers, headersOf(b01!));

    const [b02] = transcript('BUG-02-http-redirect-301.txt');
    assert.equal(BUG02_BODY, b02!.body);
    assert.deepEqual([['Location', BUG02_LOCATION], ['Content-Type', 'text/html; charset=UTF-8']], headersOf(b02!));

    const [b07] = transcript('BUG-07-proxy-401-html-multi-auth.txt');
    const proxy = bug07.endpoints.find((e) => e.host === 'autodiscover.example.com' && e.port === 443)!.behaviour as { status: number; reason: string; headers: unknown; body: string };
    assert.deepEqual([proxy.status, proxy.reason, proxy.headers, proxy.body], [b07!.status, b07!.reason, headersOf(b07!), b07!.body]);
    assert.equal(BUG07_BODY, b07!.body);
    assert.equal(BUG07_REASON, b07!.reason);

    assert.equal(BUG08_PAGE, transcript('BUG-08-html-200-page.txt')[0]!.body);
    assert.equal(BUG08_404_BODY, transcript('BUG-08-html-404-page.txt')[0]!.body);

    const b14 = transcript('BUG-14-path-case-sensitive.txt');
    assert.equal(b14[0]!.bodyRef, 'BASELINE-settings-expr.xml');
    assert.equal(BUG14_404_BODY, b14[1]!.body);
    assert.deepEqual([b14[1]!.request?.target, b14[2]!.request?.target, b14[2]!.body], ['/Autodiscover/Autodiscover.xml', '/AutoDiscover/AutoDiscover.xml', '']);

    assert.equal(BUG16_403_BODY, transcript('BUG-16-http-redirect-403.txt')[0]!.body);

    const [b19, v2] = transcript('BUG-19-o365-basic-disabled.txt');
    assert.deepEqual(headersOf(b19!), [['WWW-Authenticate', BUG19_CHALLENGE], ['X-Example-Diag', 'basic-auth-blocked-by-policy']]);
    assert.equal(BUG19_V2_BODY, v2!.body);

    const [b20] = transcript('BUG-20-http-456-mfa.txt');
    assert.deepEqual([b20!.status, b20!.reason, b20!.body], [456, '', BUG20_BODY]);

    const { contentTypes, prettyEwsUrl } = bug21Variants(readCase('BUG-21-content-type-variants.txt'));
    assert.deepEqual(Object.values(BUG21_CONTENT_TYPES), contentTypes);
    assert.equal(BUG21_PRETTY_EWSURL, prettyEwsUrl);

    assert.match(readCase('BUG-23-wrong-password.txt'), new RegExp(`request-id: ${BUG23_REQUEST_ID}`));

    const [b24] = transcript('BUG-24-empty-200.txt');
    assert.deepEqual(BUG24_VARIANTS['']!.headers, b24!.headers);
    assert.equal(BUG24_VARIANTS['']!.body, b24!.body);
    assert.match(readCase('BUG-24-empty-200.txt'), new RegExp(BUG24_VARIANTS['xml-declaration']!.body.trim().replace(/[?.]/g, '\\$&')));

    assert.match(readCase('DERIVED-01-plus-address.txt'), new RegExp(`Input address: ${DERIVED01_ADDRESS.replace(/[+.]/g, '\\$&')}`));
  });
});
