/**
 * Emulated Exchange Autodiscover (POX) responder. Checks in Exchange's order: path, then
 * credentials (an unauthenticated request only ever gets the challenge), then method and body,
 * then the per-address answer table. Never logs anything: requests carry credentials.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AutodiscoverAnswer, ExchangeBehaviour } from './scenario.ts';
import { headerPairs, pathOf, send } from './http-answer.ts';
import type { RequestContext } from './http-answer.ts';
import {
  errorXml,
  mobileSyncErrorMessage,
  mobileSyncErrorXml,
  mobileSyncRedirectXml,
  mobileSyncSettingsXml,
  readEmailAddress,
  readRequestedSchema,
  redirectAddrXml,
  redirectUrlXml,
  settingsXml,
} from './autodiscover-xml.ts';
import { ntlmStep } from './ntlm.ts';

export const DEFAULT_AUTODISCOVER_PATH = '/autodiscover/autodiscover.xml';

const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** IIS's answer for a path that is not there. */
const IIS_NOT_FOUND_HTML =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' +
  '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>404 - File or directory not found.</title></head>' +
  '<body><h2>404 - File or directory not found.</h2></body></html>\n';

type AuthOutcome = 'ok' | 'missing' | 'rejected' | 'basic-blocked';

/** Decides whether the Authorization header carries credentials this endpoint accepts. */
export function authenticate(behaviour: ExchangeBehaviour, authorization: string | undefined): AuthOutcome {
  if (behaviour.anonymous) return 'ok';
  if (!authorization) return 'missing';
  const space = authorization.indexOf(' ');
  const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : authorization.slice(space + 1).trim();
  if (scheme === 'basic') {
    if (behaviour.basicBlocked !== undefined) return 'basic-blocked';
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return 'rejected';
    const user = decoded.slice(0, colon).toLowerCase();
    const password = decoded.slice(colon + 1);
    const ok = (behaviour.basic ?? []).some((c) => c.username.toLowerCase() === user && c.password === password);
    return ok ? 'ok' : 'rejected';
  }
  if (scheme === 'bearer') {
    return (behaviour.bearerTokens ?? []).includes(value) ? 'ok' : 'rejected';
  }
  // Negotiate/NTLM tokens (unless `ntlm` is set: see ntlm.ts) and anything else: never accepted.
  return 'rejected';
}

/** Exchange's error Id is a hash of the server name; derive a stable one from the host. */
function defaultErrorId(host: string): string {
  return String(parseInt(createHash('sha256').update(host).digest('hex').slice(0, 8), 16));
}

function findAnswer(behaviour: ExchangeBehaviour, address: string): AutodiscoverAnswer | undefined {
  const wanted = address.toLowerCase();
  for (const [key, answer] of Object.entries(behaviour.answers)) {
    if (key.toLowerCase() === wanted) return answer;
  }
  return undefined;
}

function mapiHttpRequested(ctx: RequestContext): boolean {
  const raw = ctx.req.headers['x-mapihttpcapability'];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(value) && value >= 1;
}

export function serveExchange(behaviour: ExchangeBehaviour, ctx: RequestContext): void {
  const common = headerPairs(behaviour.headers);
  if (behaviour.requestId !== false && !common.some(([k]) => k.toLowerCase() === 'request-id')) common.push(['request-id', randomUUID()]);

  const expected = behaviour.path ?? DEFAULT_AUTODISCOVER_PATH;
  const path = pathOf(ctx.req.url);
  const pathOk = behaviour.pathCaseSensitive ? path === expected : path.toLowerCase() === expected.toLowerCase();
  if (!pathOk) {
    // A front end also publishes EWS, OAB and MAPI: without credentials IIS answers 401 there (the
    // returned-URL check's healthy answer). A scenario wanting them broken uses routes.
    if (/^\/(ews|oab|mapi)\//i.test(path)) {
      send(ctx, 401, [...common, ...headerPairs(behaviour.challengeHeaders), ...behaviour.challenges.map((c): [string, string] => ['WWW-Authenticate', c])], '');
      return;
    }
    send(ctx, 404, [...common, ['Content-Type', 'text/html']], IIS_NOT_FOUND_HTML);
    return;
  }

  // NTLM is a handshake on one connection: a NEGOTIATE is answered with the CHALLENGE alone.
  const ntlm = behaviour.ntlm && !behaviour.anonymous ? ntlmStep(behaviour.ntlm, ctx.host, ctx.req.socket, ctx.req.headers.authorization) : undefined;
  if (ntlm?.kind === 'challenge') {
    const headers: Array<[string, string]> = [...common, ...headerPairs(behaviour.challengeHeaders), ['WWW-Authenticate', ntlm.header]];
    if (ntlm.close) headers.push(['Connection', 'close']);
    send(ctx, 401, headers, '');
    return;
  }
  const auth = ntlm ? (ntlm.kind === 'ok' ? 'ok' : 'rejected') : authenticate(behaviour, ctx.req.headers.authorization);
  if (auth !== 'ok') {
    const headers: Array<[string, string]> = [...common, ...headerPairs(behaviour.challengeHeaders)];
    if (auth === 'basic-blocked') headers.push(['X-AutoDiscovery-Error', behaviour.basicBlocked ?? '']);
    for (const challenge of behaviour.challenges) headers.push(['WWW-Authenticate', challenge]);
    send(ctx, 401, headers, '');
    return;
  }

  const errorId = behaviour.errorId ?? defaultErrorId(ctx.host);
  const xml = (body: string) => send(ctx, 200, [...common, ['Content-Type', XML_CONTENT_TYPE]], body);

  // A GET (a browser after login) or a body without an address is an invalid request.
  const address = ctx.req.method === 'POST' ? readEmailAddress(ctx.record.body) : undefined;
  if (!address) {
    xml(errorXml({ code: 600, id: errorId }));
    return;
  }
  if (readRequestedSchema(ctx.record.body) === 'mobilesync') {
    serveMobileSync(behaviour, address, errorId, xml, ctx);
    return;
  }
  const answer = findAnswer(behaviour, address);
  if (!answer) {
    xml(errorXml({ code: 500, id: errorId }));
    return;
  }
  switch (answer.action) {
    case 'redirectAddr':
      xml(redirectAddrXml(answer.to));
      return;
    case 'redirectUrl':
      xml(redirectUrlXml(answer.to));
      return;
    case 'settings':
      xml(settingsXml(answer, address, mapiHttpRequested(ctx)));
      return;
    case 'error':
      xml(errorXml({ code: answer.code, message: answer.message, debugData: answer.debugData, id: errorId }));
      return;
    case 'raw':
      send(ctx, answer.status, headerPairs(answer.headers), answer.body ?? '', answer.reason);
      return;
  }
}

/**
 * The ActiveSync (mobilesync) provider (MS-ASCMD Autodiscover): the same answer table in MS-ASCMD
 * shape. A disabled provider, and the request-level errors 600/601, answer ErrorCode in the base
 * namespace like the Outlook provider's errors (reference §3.4).
 */
function serveMobileSync(behaviour: ExchangeBehaviour, address: string, errorId: string, xml: (body: string) => void, ctx: RequestContext): void {
  if (behaviour.mobileSync === false) {
    xml(errorXml({ code: 601, id: errorId }));
    return;
  }
  const answer = findAnswer(behaviour, address);
  if (!answer) {
    xml(mobileSyncErrorXml({ status: 1, message: mobileSyncErrorMessage(500), requestedAddress: address }));
    return;
  }
  switch (answer.action) {
    case 'redirectAddr':
      xml(mobileSyncRedirectXml(answer.to, address));
      return;
    case 'redirectUrl':
      // ActiveSync has no redirectUrl; a server configured with one sends the Outlook document.
      xml(redirectUrlXml(answer.to));
      return;
    case 'settings':
      xml(mobileSyncSettingsXml(answer, address));
      return;
    case 'error':
      if (answer.code === 600 || answer.code === 601) {
        xml(errorXml({ code: answer.code, message: answer.message, debugData: answer.debugData, id: errorId }));
        return;
      }
      xml(mobileSyncErrorXml({ status: answer.mobileSyncStatus ?? 1, message: answer.message ?? mobileSyncErrorMessage(answer.code), debugData: answer.debugData, requestedAddress: address }));
      return;
    case 'raw':
      send(ctx, answer.status, headerPairs(answer.headers), answer.body ?? '', answer.reason);
      return;
  }
}
