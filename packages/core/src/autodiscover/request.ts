/**
 * The POX Autodiscover request body and headers (MS-OXDSCLI 2.2.3; reference §3.1).
 * Namespaces are http://, never https:// — some Learn pages print https, servers answer that
 * with ErrorCode 600.
 */

export type PoxSchema = 'outlook' | 'mobilesync';

/** Namespace URIs, as data; the response parser recognises the same ones. */
export const AUTODISCOVER_NS = {
  /** Root element of every response. */
  responseBase: 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006',
  outlookRequest: 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006',
  outlookResponse: 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a',
  /** Older Outlook response schema, still accepted by servers. */
  outlookResponse2006: 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006',
  mobilesyncRequest: 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006',
  mobilesyncResponse: 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006',
} as const;

const SCHEMAS: Record<PoxSchema, { request: string; acceptable: string }> = {
  outlook: { request: AUTODISCOVER_NS.outlookRequest, acceptable: AUTODISCOVER_NS.outlookResponse },
  mobilesync: { request: AUTODISCOVER_NS.mobilesyncRequest, acceptable: AUTODISCOVER_NS.mobilesyncResponse },
};

/**
 * Exactly `text/xml; charset=utf-8`: outlook.com rejected other spellings (BUG-21, Thunderbird
 * bug 1454325), so no `;charset=UTF-8`, no `application/xml`.
 */
export const POX_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** Headers every POX POST carries; the probe adds X-MapiHttpCapability, X-AnchorMailbox, auth. */
export const POX_REQUEST_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'Content-Type': POX_CONTENT_TYPE });

/** The request body, like samples/pox-request-outlook-2006a.xml. The address is XML-escaped only ('+' stays literal). */
export function buildPoxRequest(address: string, schema: PoxSchema = 'outlook'): string {
  const s = SCHEMAS[schema];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${s.request}">`,
    '  <Request>',
    `    <EMailAddress>${escapeXml(address)}</EMailAddress>`,
    `    <AcceptableResponseSchema>${s.acceptable}</AcceptableResponseSchema>`,
    '  </Request>',
    '</Autodiscover>',
    '',
  ].join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}
