import type { SettingsSummary } from '../trace/model.ts';
import { finding, type FindingCode } from '../trace/findings.ts';
import type { StepResult } from '../trace/recorder.ts';
import type { HttpResponse } from '../probe/http.ts';
import { headerValue } from '../probe/http.ts';
import { describeParsedResponse, RESPONSE_NOTE_LEVELS, summarizeSettings, type ParsedResponse } from '../autodiscover/response.ts';
import { sniffBody } from '../autodiscover/content.ts';

/** What the walk does with a parsed 200 answer, plus the step that records it. */
export type Interpretation =
  | { kind: 'settings'; settings: SettingsSummary; result: StepResult }
  | { kind: 'redirectAddr'; target: string; result: StepResult }
  | { kind: 'redirectUrl'; target: string; result: StepResult }
  | { kind: 'error'; code: string; result: StepResult }
  | { kind: 'invalid'; result: StepResult };

const INVALID: Record<string, FindingCode> = {
  EMPTY_BODY: 'RESPONSE_EMPTY',
  HTML_PAGE: 'RESPONSE_HTML_PAGE',
  NOT_XML: 'RESPONSE_NOT_XML',
  WRONG_ROOT: 'RESPONSE_NOT_AUTODISCOVER',
  NO_RESPONSE: 'RESPONSE_NOT_AUTODISCOVER',
  UNKNOWN_ACTION: 'RESPONSE_NOT_AUTODISCOVER',
  MISSING_ELEMENT: 'RESPONSE_NOT_AUTODISCOVER',
  XML_DTD_REFUSED: 'RESPONSE_DTD_REFUSED',
};


export function interpretParsed(parsed: ParsedResponse, address: string, schema: 'outlook' | 'mobilesync' = 'outlook'): Interpretation {
  const notes = parsed.notes.map((n) => finding('RESPONSE_NOTE', `${n.code}: ${n.detail}`, { severity: (RESPONSE_NOTE_LEVELS as Record<string, string>)[n.code] === 'warning' ? 'warning' : 'info', evidence: { note: n.code } }));
  const summary = describeParsedResponse(parsed);
  const data = { parsed };
  switch (parsed.kind) {
    case 'settings': {
      if (schema === 'mobilesync') return { kind: 'invalid', result: { status: 'fail', summary: `${summary} (asked for the ActiveSync provider)`, data, findings: [finding('RESPONSE_NOT_AUTODISCOVER', 'Outlook settings returned to an ActiveSync (mobilesync) request'), ...notes] } };
      const settings = summarizeSettings(parsed);
      return { kind: 'settings', settings, result: { status: notes.some((n) => n.severity === 'warning') ? 'warn' : 'pass', summary: `Action=settings: ${summary.replace(/^settings: /, '')}${settings.ewsUrl ? `; EWS ${settings.ewsUrl}` : ''}`, data, findings: notes } };
    }
    case 'redirectAddr':
      return { kind: 'redirectAddr', target: parsed.address, result: { status: 'pass', summary: `Action=redirectAddr → ${parsed.address}`, data, findings: [finding('REDIRECT_ADDR', `${address} → ${parsed.address}`), ...notes] } };
    case 'redirectUrl':
      return { kind: 'redirectUrl', target: parsed.url, result: { status: 'pass', summary: `Action=redirectUrl → ${parsed.url}`, data, findings: notes } };
    case 'error': {
      const code = parsed.code || '?';
      const known = ['500', '501', '600', '601', '602', '603'].includes(code) ? (`AD_ERROR_${code}` as FindingCode) : 'AD_ERROR_OTHER';
      const f = finding(known, `Autodiscover error ${code}${parsed.message ? `: ${parsed.message}` : ''}${parsed.id ? ` (Id ${parsed.id}${parsed.time ? `, Time ${parsed.time}` : ''})` : ''}`, { evidence: { code, message: parsed.message, debugData: parsed.debugData, id: parsed.id, time: parsed.time } });
      return { kind: 'error', code, result: { status: 'fail', summary, data, findings: [f, ...notes] } };
    }
    case 'invalid': {
      const f = finding(INVALID[parsed.reason] ?? 'RESPONSE_NOT_AUTODISCOVER', `${summary}${parsed.title ? ` (page title "${parsed.title}")` : ''}`, { evidence: { reason: parsed.reason, detail: parsed.detail } });
      return { kind: 'invalid', result: { status: 'fail', summary, data, findings: [f, ...notes] } };
    }
    case 'mobilesync-settings': {
      if (schema !== 'mobilesync') return { kind: 'invalid', result: { status: 'fail', summary, data, findings: [finding('RESPONSE_NOT_AUTODISCOVER', `${summary} (expected the Outlook provider)`), ...notes] } };
      const server = parsed.servers.find((x) => (x.type ?? '').toUpperCase() === 'MOBILESYNC') ?? parsed.servers[0];
      const settings: SettingsSummary = { ...(parsed.user.displayName ? { displayName: parsed.user.displayName } : {}), ...(parsed.user.emailAddress ? { autoDiscoverSmtpAddress: parsed.user.emailAddress } : {}), ...(server?.url ? { activeSyncUrl: server.url } : {}), protocols: parsed.servers.map((x) => ({ type: x.type ?? '?', ...(x.url ? { server: x.url } : {}) })) };
      if (!server?.url) return { kind: 'invalid', result: { status: 'fail', summary: `${summary}: no MobileSync server URL`, data, findings: [finding('RESPONSE_NOT_AUTODISCOVER', 'mobilesync settings without a MobileSync server URL'), ...notes] } };
      if (!/^https:\/\/[^\s/]+/i.test(server.url)) return { kind: 'invalid', result: { status: 'fail', summary: `${summary}: the MobileSync URL is not an https URL`, data, findings: [finding('RESPONSE_NOT_AUTODISCOVER', `mobilesync settings name a non-HTTPS ActiveSync URL (${server.url}); devices will not connect`), ...notes] } };
      return { kind: 'settings', settings, result: { status: 'pass', summary: `mobilesync settings: ActiveSync ${server.url}`, data, findings: notes } };
    }
    case 'mobilesync-error': {
      const f = finding('AD_ERROR_OTHER', `ActiveSync Autodiscover error status ${parsed.status}${parsed.message ? `: ${parsed.message}` : ''}`, { evidence: { status: parsed.status, message: parsed.message, debugData: parsed.debugData } });
      return { kind: 'error', code: `mobilesync-${parsed.status}`, result: { status: 'fail', summary, data, findings: [f, ...notes] } };
    }
    default:
      return { kind: 'invalid', result: { status: 'fail', summary, data, findings: [finding('RESPONSE_NOT_AUTODISCOVER', summary), ...notes] } };
  }
}

/** A non-success HTTP status as a failed step with the finding an admin can act on. */
export function judgeFailureStatus(res: HttpResponse): StepResult {
  const status = res.status;
  const sniff = sniffBody(res.body, headerValue(res.headers, 'content-type'));
  const page = sniff.kind === 'html' ? ` (HTML${sniff.title ? ` "${sniff.title}"` : ''})` : '';
  const server = headerValue(res.headers, 'server');
  const label = `${status}${res.statusText ? ` ${res.statusText}` : ''}${page}${server ? `, Server: ${server}` : ''}`;
  let code: FindingCode;
  if (status === 404) code = 'POST_NOT_FOUND';
  else if (status === 405) code = 'POST_METHOD_NOT_ALLOWED';
  else if (status === 403) code = 'POST_FORBIDDEN';
  else if (status >= 500 && status < 600) code = 'POST_SERVER_ERROR';
  else code = 'POST_UNEXPECTED_STATUS';
  return { status: 'fail', summary: label, findings: [finding(code, `HTTP ${label}`, { evidence: { status, server, title: sniff.kind === 'html' ? sniff.title : undefined } })] };
}
