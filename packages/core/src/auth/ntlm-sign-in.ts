/**
 * The NTLM handshake over HTTP (MS-NTHT) on an endpoint's one connection, recorded as steps like
 * every other POST: NEGOTIATE → 401 with the CHALLENGE → AUTHENTICATE → the answer. NTLM
 * authenticates the connection, not the request, so the connection count is checked across the
 * handshake: a server (or a load balancer) that closes it after the challenge breaks NTLM, and the
 * report says so instead of blaming the password.
 *
 * The caller (the walk's #signIn) has already checked the certificate and the credential scope.
 * Nothing here is written down but masked headers: the trace keeps `Authorization: NTLM ********`,
 * and the password never enters any message (only HMACs derived from it do).
 */
import type { CandidateRecorder, StepResult } from '../trace/recorder.ts';
import { finding } from '../trace/findings.ts';
import { requestStep, type ProbeContext } from '../probe/endpoint.ts';
import { headerValue, headerValues, type HttpRequest, type HttpResponse, type HttpSession } from '../probe/http.ts';
import { looksLikeExchange, parseWwwAuthenticate } from '../autodiscover/challenge.ts';
import { judgeFailureStatus } from '../walk/interpret.ts';
import { authenticateMessage, decodeToken, describeChallenge, negotiateMessage, NtlmError, parseChallenge, type NtlmChallenge } from '../probe/ntlm.ts';

export interface NtlmSignIn {
  rec: CandidateRecorder;
  probe: ProbeContext;
  session: HttpSession;
  url: URL;
  /** The Autodiscover POST (path and body set), without Authorization. */
  request: HttpRequest;
  /** `NTLM`, or `Negotiate` carrying raw NTLM tokens when the server offers only Negotiate. */
  scheme: 'NTLM' | 'Negotiate';
  /** `DOMAIN\user`, UPN or plain. */
  username: string;
  password: string;
}

function schemes(res: HttpResponse): string {
  return parseWwwAuthenticate(headerValues(res.headers, 'www-authenticate')).map((c) => c.scheme).join(', ');
}

function passThrough(res: HttpResponse): StepResult | undefined {
  if (res.status === 200) return { status: 'pass', summary: `200 ${headerValue(res.headers, 'content-type') ?? ''}`.trim() };
  if (res.status >= 300 && res.status < 400) return { status: 'pass', summary: `${res.status} → ${headerValue(res.headers, 'location') ?? '(no Location)'}` };
  return undefined;
}

/** Runs the handshake; the final response, or undefined when a step failed (the step says why). */
export async function ntlmSignIn(s: NtlmSignIn): Promise<HttpResponse | undefined> {
  const { rec, probe, session, url, scheme } = s;
  const label = scheme === 'NTLM' ? 'NTLM' : 'Negotiate (NTLM)';
  if (url.protocol !== 'https:') throw new Error(`refusing NTLM over ${url.protocol}`);
  const withToken = (token: Buffer): HttpRequest => ({ ...s.request, headers: { ...s.request.headers, Authorization: `${scheme} ${token.toString('base64')}` } });

  // Message 1 → the 401 carrying message 2.
  let challenge: NtlmChallenge | undefined;
  const first = await requestStep(rec, probe, session, url, withToken(negotiateMessage()), 'ntlm', `POST ${url.href} with ${label}: negotiate (message 1 of 3)`, (res) => {
    const passed = passThrough(res);
    if (passed) return passed;
    if (res.status !== 401) return judgeFailureStatus(res);
    const offered = parseWwwAuthenticate(headerValues(res.headers, 'www-authenticate')).find((c) => c.name === scheme.toLowerCase() && c.token68);
    const exchangeHeaders = looksLikeExchange(res.headers);
    if (!offered) {
      if (!exchangeHeaders) {
        return { status: 'fail', summary: `401 without an NTLM challenge and without Exchange headers: a device in front of Exchange does not pass NTLM through`, findings: [finding('AUTH_PROXY_REJECTED', `${url.host} answered the NTLM negotiate message with a plain 401 (${schemes(res) || 'no WWW-Authenticate'}), without Exchange headers`, { evidence: { schemes: schemes(res), server: headerValue(res.headers, 'server'), proxySupport: headerValue(res.headers, 'proxy-support') } })] };
      }
      return { status: 'fail', summary: `401 without an NTLM challenge: the server refuses to start NTLM (${schemes(res) || 'no WWW-Authenticate'})`, findings: [finding('AUTH_REJECTED', `${url.host} answered the NTLM negotiate message with a fresh 401 instead of a challenge (NTLM)`, { explanation: 'The server offered NTLM but answered the first NTLM message with a new 401 instead of a challenge: NTLM is refused for this request (for example restricted by policy), or something between the client and Exchange strips the NTLM exchange.', fix: 'Check the Windows authentication providers of the Autodiscover virtual directory and any "Restrict NTLM" policy; check devices in front of Exchange.', evidence: { exchangeHeaders, schemes: schemes(res) } })] };
    }
    try {
      challenge = parseChallenge(decodeToken(offered.token68!));
    } catch (err) {
      if (!(err instanceof NtlmError)) throw err;
      return { status: 'fail', summary: `401 with an unreadable NTLM challenge: ${err.message}`, findings: [finding('NTLM_BAD_CHALLENGE', `${url.host} sent an NTLM challenge (message 2) that cannot be read: ${err.message}`, { explanation: 'The server offered NTLM, but its challenge message is malformed, so no client can answer it.', fix: 'Check what answers on this URL: Exchange (IIS) sends well-formed challenges; a proxy or a broken module in front of it may not.', evidence: { error: err.message, exchangeHeaders } })] };
    }
    const where = challenge.dnsComputerName ?? challenge.nbComputerName;
    return { status: 'pass', summary: `401 NTLM challenge (message 2 of 3) for ${challenge.targetName || '(no target name)'}${where ? ` from ${where}` : ''}`, data: { ntlm: describeChallenge(challenge) } };
  });
  if (!first) return undefined;
  if (!challenge) return first.status === 401 ? undefined : first;

  // Message 3 → the answer. NTLM is bound to the connection that carried the challenge.
  const connectionsBefore = session.connections;
  const answer = authenticateMessage({ challenge, username: s.username, password: s.password });
  const identity = answer.identity.domain ? `${answer.identity.domain}\\${answer.identity.user}` : answer.identity.user;
  const target = describeChallenge(challenge);
  return requestStep(rec, probe, session, url, withToken(answer.message), 'ntlm', `POST ${url.href} with ${label} credentials: authenticate (message 3 of 3)`, (res) => {
    const sameConnection = session.connections === connectionsBefore;
    const ntlm = { identity, targetName: challenge!.targetName, sameConnection };
    const passed = passThrough(res);
    if (passed) return { ...passed, summary: `${passed.summary} (signed in as ${identity})`, data: { ntlm } };
    if (res.status !== 401) return judgeFailureStatus(res);
    const exchangeHeaders = looksLikeExchange(res.headers);
    const evidence = { exchangeHeaders, schemes: schemes(res), identity, targetName: challenge!.targetName, target, sameConnection };
    if (!sameConnection) {
      return { status: 'fail', summary: '401 after NTLM sign-in: the connection that carried the challenge was closed, so the last message went on a new one', data: { ntlm }, findings: [finding('NTLM_CONNECTION_NOT_KEPT', `NTLM sign-in at ${url.host} failed: the connection was closed after the challenge (target ${challenge!.targetName}); the final message went on a new connection`, { explanation: 'NTLM authenticates a connection: the challenge and the answer must travel on the same one. The server, or a load balancer or proxy in front of it, closed the connection after the challenge, so the answer arrived on a new connection that had no challenge. This is not a wrong password.', fix: 'Keep connections alive through the load balancer or proxy (connection persistence / no "Connection: close" on 401), or publish Autodiscover with an authentication method that is not connection-bound.', evidence })] };
    }
    if (!exchangeHeaders) {
      const proxy = headerValue(res.headers, 'proxy-support') ?? headerValue(res.headers, 'server');
      return { status: 'fail', summary: '401 after NTLM sign-in, without Exchange headers: a device in front of Exchange rejected the credentials', data: { ntlm }, findings: [finding('AUTH_PROXY_REJECTED', `Credentials rejected at ${url.href} by a device in front of Exchange (NTLM; no Exchange headers${proxy ? `; ${proxy}` : ''})`, { evidence })] };
    }
    return { status: 'fail', summary: `401 after NTLM sign-in as ${identity}: credentials rejected`, data: { ntlm }, findings: [finding('AUTH_REJECTED', `Credentials rejected by ${url.host} (NTLM as ${identity}, target ${challenge!.targetName || 'unnamed'}; Exchange headers present)`, { evidence })] };
  });
}
