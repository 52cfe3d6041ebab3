/**
 * The POX Autodiscover response (MS-OXDSCLI 2.2.4, MS-ASCMD for mobilesync; reference §3.2–3.4),
 * read into a discriminated union the walk can switch on. Tolerant where real servers differ from
 * the documents (prefixes, missing namespaces, RedirectURL spelling, Action case), and says so in
 * `notes`; strict where tolerance is dangerous (DTDs are refused). Never throws.
 */
import type { SettingsSummary } from '../trace/model.ts';
import { sniffBody, isXmlMediaType } from './content.ts';
import type { SniffedBody } from './content.ts';
import { describePoxErrorCode } from './error-codes.ts';
import { internalHostReason } from './host.ts';
import { AUTODISCOVER_NS } from './request.ts';
import type { PoxSchema } from './request.ts';
import { decodeServerVersion } from './server-version.ts';
import type { ServerVersion } from './server-version.ts';
import { attributeValue, childElement, childElements, childText, parseXmlDocument } from './xml.ts';
import type { XmlElement } from './xml.ts';

/**
 * Every note code the parser emits, with how much it matters to a client: 'warning' changes what
 * a client gets or does (missing EXPR, internal host names, text/html), 'info' is only unusual.
 */
export const RESPONSE_NOTE_LEVELS = {
  BOM_STRIPPED: 'info',
  CONTENT_TYPE_MISSING: 'info',
  CONTENT_TYPE_HTML: 'warning',
  CONTENT_TYPE_UNEXPECTED: 'warning',
  CHARSET_NOT_UTF8: 'warning',
  REQUEST_DOCUMENT: 'info',
  NAMESPACE_MISSING: 'info',
  NAMESPACE_UNEXPECTED: 'warning',
  ACCOUNT_MULTIPLE: 'warning',
  ACTION_CASE: 'warning',
  ERRORCODE_MISSING: 'warning',
  ERROR_UNDER_ACCOUNT: 'info',
  PROTOCOL_TYPE_CONFLICT: 'info',
  PROTOCOL_NO_TYPE: 'warning',
  PROTOCOL_DUPLICATE_TYPE: 'warning',
  SERVERVERSION_UNDECODABLE: 'info',
  EXCH_MISSING: 'warning',
  EXPR_MISSING: 'warning',
  EWSURL_MISSING: 'warning',
  EWSURL_NOT_HTTPS: 'warning',
  URL_INVALID: 'warning',
  INTERNAL_HOST: 'warning',
} as const satisfies Record<string, 'warning' | 'info'>;

export type ResponseNoteCode = keyof typeof RESPONSE_NOTE_LEVELS;

/** A tolerated oddity. `code` is stable; `detail` is for people. */
export interface ResponseNote {
  code: ResponseNoteCode;
  detail: string;
}

export type InvalidReason =
  | 'EMPTY_BODY'
  | 'HTML_PAGE'
  | 'NOT_XML'
  | 'WRONG_ROOT'
  | 'NO_RESPONSE'
  | 'UNKNOWN_ACTION'
  | 'MISSING_ELEMENT'
  | 'XML_DTD_REFUSED';

export interface UserInfo {
  displayName?: string;
  legacyDN?: string;
  autoDiscoverSmtpAddress?: string;
  deploymentId?: string;
}

export interface AccountInfo {
  accountType?: string;
  /** The Action value as sent (trimmed). */
  action: string;
  microsoftOnline?: boolean;
}

export interface OwaUrl {
  location: 'internal' | 'external';
  url: string;
  authenticationMethod?: string;
}

export interface MapiEndpoint {
  internalUrl?: string;
  externalUrl?: string;
}

export interface ProtocolSettings {
  /** As sent: EXCH, EXPR, EXHTTP, WEB, mapiHttp, … ('' when the block has no type). */
  type: string;
  /** Where the type came from: a <Type> child or a Type attribute (mapiHttp). */
  typeFrom: 'element' | 'attribute' | 'none';
  /** Version attribute (mapiHttp Version="1"). */
  version?: string;
  server?: string;
  serverDN?: string;
  serverVersion?: string;
  decodedVersion?: ServerVersion;
  mdbDN?: string;
  publicFolderServer?: string;
  ad?: string;
  authPackage?: string;
  ewsUrl?: string;
  asUrl?: string;
  emwsUrl?: string;
  oabUrl?: string;
  oofUrl?: string;
  umUrl?: string;
  ecpUrl?: string;
  ssl?: string;
  certPrincipalName?: string;
  ttl?: string;
  mailStore?: MapiEndpoint;
  addressBook?: MapiEndpoint;
  /** WEB: OWAUrl entries of Internal and External. */
  owaUrls: OwaUrl[];
  /** WEB: Protocol blocks nested in Internal/External (e.g. External/Protocol Type EXPR with ASUrl). */
  nested: { location: 'internal' | 'external'; protocol: ProtocolSettings }[];
}

export interface MobileSyncServer {
  type?: string;
  url?: string;
  name?: string;
  serverData?: string;
}

export interface SettingsResponse {
  kind: 'settings';
  schema: 'outlook';
  user: UserInfo;
  account: AccountInfo;
  /** Every Protocol block directly under Account, in document order. */
  protocols: ProtocolSettings[];
  notes: ResponseNote[];
}

export interface ErrorResponse {
  kind: 'error';
  schema: PoxSchema;
  /** ErrorCode as sent ('' when the element is missing; see notes). */
  code: string;
  /** Spec meaning of the code, when it is a known one. */
  meaning?: string;
  message?: string;
  debugData?: string;
  /** Id attribute (hash of the server name, for log correlation). */
  id?: string;
  /** Time attribute (server time of day). */
  time?: string;
  /** Where the Error element was: Response/Error or Response/Account/Error. */
  location: 'response' | 'account';
  notes: ResponseNote[];
}

export type ParsedResponse =
  | SettingsResponse
  | { kind: 'redirectAddr'; schema: PoxSchema; address: string; notes: ResponseNote[] }
  | { kind: 'redirectUrl'; schema: 'outlook'; url: string; notes: ResponseNote[] }
  | ErrorResponse
  | { kind: 'mobilesync-settings'; schema: 'mobilesync'; user: { displayName?: string; emailAddress?: string }; culture?: string; servers: MobileSyncServer[]; notes: ResponseNote[] }
  | { kind: 'mobilesync-error'; schema: 'mobilesync'; status: string; message?: string; debugData?: string; notes: ResponseNote[] }
  | { kind: 'invalid'; reason: InvalidReason; detail: string; /** HTML_PAGE: the page title. */ title?: string; notes: ResponseNote[] };

/** The Action values MS-OXDSCLI defines, in their spec spelling. */
export const POX_ACTIONS = ['settings', 'redirectAddr', 'redirectUrl'] as const;

const KNOWN_RESPONSE_NS: readonly string[] = [AUTODISCOVER_NS.responseBase, AUTODISCOVER_NS.outlookResponse, AUTODISCOVER_NS.outlookResponse2006, AUTODISCOVER_NS.mobilesyncResponse];

/** Parse a POX Autodiscover response body. `contentType` is the response header value (absent → a note). */
export function parseAutodiscoverResponse(body: string, contentType?: string): ParsedResponse {
  const notes: ResponseNote[] = [];
  try {
    return parse(typeof body === 'string' ? body : '', contentType, notes);
  } catch (e) {
    // Defensive: nothing below is expected to throw, but a parser crash must stay a finding.
    return { kind: 'invalid', reason: 'NOT_XML', detail: `parser failure: ${e instanceof Error ? e.message : String(e)}`, notes };
  }
}

function parse(body: string, contentType: string | undefined, notes: ResponseNote[]): ParsedResponse {
  const sniffed = sniffBody(body, contentType);
  notes.push(...contentNotes(sniffed));
  const invalid = (reason: InvalidReason, detail: string, title?: string): ParsedResponse =>
    title === undefined ? { kind: 'invalid', reason, detail, notes } : { kind: 'invalid', reason, detail, title, notes };

  switch (sniffed.kind) {
    case 'empty':
      return invalid('EMPTY_BODY', { 'zero-bytes': 'empty body (0 bytes)', whitespace: `body is only whitespace (${body.length} characters)`, 'xml-declaration-only': 'body is only an XML declaration, no element' }[sniffed.empty ?? 'zero-bytes']);
    case 'html':
      return invalid('HTML_PAGE', sniffed.title ? `web page returned (title: "${sniffed.title}"), not an Autodiscover response` : 'web page returned, not an Autodiscover response', sniffed.title);
    case 'json':
      return invalid('NOT_XML', 'body is JSON, not XML');
    case 'binary':
      return invalid('NOT_XML', 'body is binary data, not XML');
    case 'text':
      return invalid('NOT_XML', `body is not XML (starts with "${excerpt(sniffed.text)}")`);
    case 'xml':
      break;
  }

  const doc = parseXmlDocument(sniffed.text);
  if (!doc.ok) {
    if (doc.code === 'DTD_REFUSED') return invalid('XML_DTD_REFUSED', doc.detail);
    return invalid('NOT_XML', `not well-formed XML: ${doc.detail}`);
  }
  const root = doc.root;
  if (root.local.toLowerCase() === 'html') {
    const title = childText(childElement(root, 'head') ?? root, 'title');
    return invalid('HTML_PAGE', title ? `web page returned (title: "${title}"), not an Autodiscover response` : 'web page (XHTML) returned, not an Autodiscover response', title);
  }
  if (root.local.toLowerCase() !== 'autodiscover') {
    return invalid('WRONG_ROOT', `root element is <${root.name}>${root.namespace ? ` (namespace ${root.namespace})` : ''}, not <Autodiscover>`);
  }

  const response = childElement(root, 'Response');
  if (!response) {
    if (childElement(root, 'Request')) {
      notes.push({ code: 'REQUEST_DOCUMENT', detail: `root namespace ${root.namespace || '(none)'}; the server sent back a request document` });
      return invalid('NO_RESPONSE', 'document is an Autodiscover request, not a response');
    }
    return invalid('NO_RESPONSE', 'Autodiscover element has no Response child');
  }
  notes.push(...namespaceNotes(root, response));

  const error = childElement(response, 'Error');
  if (error) return readError(error, 'response', schemaOf(response), notes);

  // Outlook answers carry Account; mobilesync answers carry Action directly under Response.
  const accounts = childElements(response, 'Account');
  if (accounts.length > 1) notes.push({ code: 'ACCOUNT_MULTIPLE', detail: `${accounts.length} Account elements; the first is used` });
  if (accounts.length > 0) return readAccount(response, accounts[0], notes, invalid);
  const action = childElement(response, 'Action');
  if (action) return readMobileSync(response, action, notes);
  return invalid('NO_RESPONSE', 'Response has no Account, Action or Error element');
}

function readAccount(
  response: XmlElement,
  account: XmlElement,
  notes: ResponseNote[],
  invalid: (reason: InvalidReason, detail: string) => ParsedResponse,
): ParsedResponse {
  // Some servers put Error under Account (Learn's Error page names Account as its parent).
  const error = childElement(account, 'Error');
  if (error) return readError(error, 'account', 'outlook', notes);

  const rawAction = childText(account, 'Action');
  if (rawAction === undefined) return invalid('UNKNOWN_ACTION', 'Account has no Action element');
  const action = POX_ACTIONS.find((a) => a.toLowerCase() === rawAction.toLowerCase());
  if (!action) return invalid('UNKNOWN_ACTION', `Action "${rawAction}" is not settings, redirectAddr or redirectUrl`);
  if (action !== rawAction) notes.push({ code: 'ACTION_CASE', detail: `Action "${rawAction}" differs in case from the spec spelling "${action}" (strict clients reject it)` });

  if (action === 'redirectAddr') {
    const address = childText(account, 'RedirectAddr');
    if (!address) return invalid('MISSING_ELEMENT', 'Action is redirectAddr but RedirectAddr is missing or empty');
    return { kind: 'redirectAddr', schema: 'outlook', address, notes };
  }
  if (action === 'redirectUrl') {
    // Docs spell it both RedirectUrl and RedirectURL; childText matches case-insensitively.
    const url = childText(account, 'RedirectUrl');
    if (!url) return invalid('MISSING_ELEMENT', 'Action is redirectUrl but RedirectUrl is missing or empty');
    return { kind: 'redirectUrl', schema: 'outlook', url, notes };
  }

  const user = childElement(response, 'User');
  const settings: SettingsResponse = {
    kind: 'settings',
    schema: 'outlook',
    user: user
      ? compact({
          displayName: childText(user, 'DisplayName'),
          legacyDN: childText(user, 'LegacyDN'),
          autoDiscoverSmtpAddress: childText(user, 'AutoDiscoverSMTPAddress'),
          deploymentId: childText(user, 'DeploymentId'),
        })
      : {},
    account: compact({ accountType: childText(account, 'AccountType'), action: rawAction, microsoftOnline: parseBool(childText(account, 'MicrosoftOnline')) }) as AccountInfo,
    protocols: childElements(account, 'Protocol').map((p) => readProtocol(p, notes)),
    notes,
  };
  notes.push(...settingsNotes(settings.protocols));
  return settings;
}

function readProtocol(el: XmlElement, notes: ResponseNote[]): ProtocolSettings {
  const typeElement = childText(el, 'Type');
  const typeAttribute = attributeValue(el, 'Type');
  const type = typeElement ?? typeAttribute ?? '';
  if (typeElement !== undefined && typeAttribute !== undefined && typeElement.toLowerCase() !== typeAttribute.toLowerCase()) {
    notes.push({ code: 'PROTOCOL_TYPE_CONFLICT', detail: `Protocol has <Type>${typeElement}</Type> and Type="${typeAttribute}"; the element wins` });
  }
  const serverVersion = childText(el, 'ServerVersion');
  const decodedVersion = serverVersion === undefined ? undefined : decodeServerVersion(serverVersion);
  if (serverVersion !== undefined && decodedVersion === undefined) {
    notes.push({ code: 'SERVERVERSION_UNDECODABLE', detail: `ServerVersion "${serverVersion}" in ${type || 'a Protocol block'} is not the expected 8-hex-digit word` });
  }
  const protocol: ProtocolSettings = {
    ...compact({
      type,
      typeFrom: typeElement !== undefined ? 'element' : typeAttribute !== undefined ? 'attribute' : 'none',
      version: attributeValue(el, 'Version'),
      server: childText(el, 'Server'),
      serverDN: childText(el, 'ServerDN'),
      serverVersion,
      decodedVersion,
      mdbDN: childText(el, 'MdbDN'),
      publicFolderServer: childText(el, 'PublicFolderServer'),
      ad: childText(el, 'AD'),
      authPackage: childText(el, 'AuthPackage'),
      ewsUrl: childText(el, 'EwsUrl'),
      asUrl: childText(el, 'ASUrl'),
      emwsUrl: childText(el, 'EmwsUrl'),
      oabUrl: childText(el, 'OABUrl'),
      oofUrl: childText(el, 'OOFUrl'),
      umUrl: childText(el, 'UMUrl'),
      ecpUrl: childText(el, 'EcpUrl'),
      ssl: childText(el, 'SSL'),
      certPrincipalName: childText(el, 'CertPrincipalName'),
      ttl: childText(el, 'TTL'),
      mailStore: readMapiEndpoint(childElement(el, 'MailStore')),
      addressBook: readMapiEndpoint(childElement(el, 'AddressBook')),
    }),
    owaUrls: [],
    nested: [],
  } as ProtocolSettings;
  for (const location of ['internal', 'external'] as const) {
    const block = childElement(el, location);
    if (!block) continue;
    for (const owa of childElements(block, 'OWAUrl')) {
      const url = owa.text.trim();
      if (url) protocol.owaUrls.push(compact({ location, url, authenticationMethod: attributeValue(owa, 'AuthenticationMethod') }) as OwaUrl);
    }
    for (const inner of childElements(block, 'Protocol')) protocol.nested.push({ location, protocol: readProtocol(inner, notes) });
  }
  return protocol;
}

function readMapiEndpoint(el: XmlElement | undefined): MapiEndpoint | undefined {
  if (!el) return undefined;
  return compact({ internalUrl: childText(el, 'InternalUrl'), externalUrl: childText(el, 'ExternalUrl') });
}

function readError(el: XmlElement, location: 'response' | 'account', schema: PoxSchema, notes: ResponseNote[]): ParsedResponse {
  const code = childText(el, 'ErrorCode') ?? '';
  if (code === '') notes.push({ code: 'ERRORCODE_MISSING', detail: 'Error element without an ErrorCode' });
  if (location === 'account') notes.push({ code: 'ERROR_UNDER_ACCOUNT', detail: 'Error is under Account rather than directly under Response' });
  return {
    kind: 'error',
    schema,
    code,
    ...compact({
      meaning: describePoxErrorCode(code)?.meaning,
      message: childText(el, 'Message'),
      debugData: childText(el, 'DebugData'),
      id: attributeValue(el, 'Id'),
      time: attributeValue(el, 'Time'),
    }),
    location,
    notes,
  };
}

/** MS-ASCMD Autodiscover: Response/Action/{Redirect | Settings/Server* | Error}. */
function readMobileSync(response: XmlElement, action: XmlElement, notes: ResponseNote[]): ParsedResponse {
  const error = childElement(action, 'Error');
  if (error) {
    const status = childText(error, 'Status') ?? '';
    return { kind: 'mobilesync-error', schema: 'mobilesync', status, ...compact({ message: childText(error, 'Message'), debugData: childText(error, 'DebugData') }), notes };
  }
  const redirect = childText(action, 'Redirect');
  // MS-ASCMD 2.2.3.147: Redirect carries the SMTP address to use for the next request.
  if (redirect) return { kind: 'redirectAddr', schema: 'mobilesync', address: redirect, notes };
  const settings = childElement(action, 'Settings');
  if (settings) {
    const user = childElement(response, 'User');
    return {
      kind: 'mobilesync-settings',
      schema: 'mobilesync',
      user: user ? compact({ displayName: childText(user, 'DisplayName'), emailAddress: childText(user, 'EMailAddress') }) : {},
      ...compact({ culture: childText(response, 'Culture') }),
      servers: childElements(settings, 'Server').map(
        (s) => compact({ type: childText(s, 'Type'), url: childText(s, 'Url'), name: childText(s, 'Name'), serverData: childText(s, 'ServerData') }) as MobileSyncServer,
      ),
      notes,
    };
  }
  return { kind: 'invalid', reason: 'UNKNOWN_ACTION', detail: 'mobilesync Action has no Redirect, Settings or Error', notes };
}

function schemaOf(response: XmlElement): PoxSchema {
  return response.namespace === AUTODISCOVER_NS.mobilesyncResponse ? 'mobilesync' : 'outlook';
}

function contentNotes(sniffed: SniffedBody): ResponseNote[] {
  const notes: ResponseNote[] = [];
  if (sniffed.bom) notes.push({ code: 'BOM_STRIPPED', detail: 'body starts with a UTF-8 byte-order mark' });
  const ct = sniffed.contentType;
  if (!ct) notes.push({ code: 'CONTENT_TYPE_MISSING', detail: 'no Content-Type header; parsed by content' });
  else if (ct.mediaType === 'text/html') notes.push({ code: 'CONTENT_TYPE_HTML', detail: `Content-Type "${ct.raw}" for an XML answer; strict clients (DavMail-style) may ignore it` });
  else if (!isXmlMediaType(ct.mediaType)) notes.push({ code: 'CONTENT_TYPE_UNEXPECTED', detail: `Content-Type "${ct.raw}" is not an XML type` });
  if (ct?.charset && ct.charset !== 'utf-8' && ct.charset !== 'utf8') notes.push({ code: 'CHARSET_NOT_UTF8', detail: `charset "${ct.charset}"; Autodiscover is UTF-8` });
  return notes;
}

function namespaceNotes(root: XmlElement, response: XmlElement): ResponseNote[] {
  const notes: ResponseNote[] = [];
  if (root.namespace === '') {
    notes.push({ code: 'NAMESPACE_MISSING', detail: `<Autodiscover> has no namespace (expected ${AUTODISCOVER_NS.responseBase})` });
  } else if (root.namespace !== AUTODISCOVER_NS.responseBase) {
    notes.push({ code: 'NAMESPACE_UNEXPECTED', detail: `<Autodiscover> namespace is ${root.namespace} (expected ${AUTODISCOVER_NS.responseBase})${httpsHint(root.namespace)}` });
  }
  if (response.namespace !== '' && response.namespace !== root.namespace && !KNOWN_RESPONSE_NS.includes(response.namespace)) {
    notes.push({ code: 'NAMESPACE_UNEXPECTED', detail: `<Response> namespace is ${response.namespace}${httpsHint(response.namespace)}` });
  }
  return notes;
}

function httpsHint(ns: string): string {
  return ns.startsWith('https://schemas.microsoft.com/') ? ' — https:// instead of http://' : '';
}

/** Notes about what a settings answer lacks or hands out (missing EXPR/EXCH/EwsUrl, http, internal hosts). */
function settingsNotes(protocols: ProtocolSettings[]): ResponseNote[] {
  const notes: ResponseNote[] = [];
  const types = protocols.map((p) => p.type.toUpperCase());
  const seen = new Set<string>();
  for (const t of types) {
    // Two EXHTTP blocks are normal (internal, then external); any other repeat is not.
    if (seen.has(t) && t !== 'EXHTTP' && t !== '') notes.push({ code: 'PROTOCOL_DUPLICATE_TYPE', detail: `more than one Protocol of type ${t} (EWS Managed API rejects such a response)` });
    seen.add(t);
  }
  if (types.includes('')) notes.push({ code: 'PROTOCOL_NO_TYPE', detail: 'a Protocol block has neither a <Type> child nor a Type attribute' });
  if (!types.includes('EXCH')) notes.push({ code: 'EXCH_MISSING', detail: 'no EXCH Protocol block (internal MAPI settings); often MAPI is disabled for the user' });
  // Without EXPR, Outlook outside the network has no external settings, unless MAPI over HTTP is offered.
  if (!types.includes('EXPR') && !types.includes('MAPIHTTP')) {
    notes.push({ code: 'EXPR_MISSING', detail: 'no EXPR Protocol block: clients outside the network get no external (Outlook Anywhere) settings' });
  }
  if (!protocols.some((p) => p.ewsUrl)) {
    notes.push({ code: 'EWSURL_MISSING', detail: protocols.some((p) => p.asUrl) ? 'no EwsUrl in any Protocol block; ASUrl is the fallback' : 'no EwsUrl or ASUrl in any Protocol block' });
  }

  // Internal names and http matter only where a client outside the network will connect: EXPR,
  // External blocks, and the internal values a client falls back to when no external one exists
  // (EXCH without EXPR is BUG-06). EXCH beside EXPR is internal by design and is not flagged.
  const hasExpr = types.includes('EXPR') || types.includes('EXHTTP');
  const hosts = new Map<string, { reason: string; where: string[] }>();
  const visit = (p: ProtocolSettings, prefix: string, outsideUse: boolean): void => {
    const label = `${prefix}${p.type || 'Protocol'}`;
    const t = p.type.toUpperCase();
    const used = outsideUse && !(t === 'EXCH' && hasExpr);
    const hasExternalOwa = p.owaUrls.some((o) => o.location === 'external');
    const urls: [string, string | undefined, boolean][] = [
      ['EwsUrl', p.ewsUrl, used], ['ASUrl', p.asUrl, used], ['EmwsUrl', p.emwsUrl, used], ['OABUrl', p.oabUrl, used], ['OOFUrl', p.oofUrl, used], ['UMUrl', p.umUrl, used], ['EcpUrl', p.ecpUrl, used],
      ['MailStore ExternalUrl', p.mailStore?.externalUrl, used], ['MailStore InternalUrl', p.mailStore?.internalUrl, used && !p.mailStore?.externalUrl],
      ['AddressBook ExternalUrl', p.addressBook?.externalUrl, used], ['AddressBook InternalUrl', p.addressBook?.internalUrl, used && !p.addressBook?.externalUrl],
      ...p.owaUrls.map((o): [string, string, boolean] => o.location === 'external' ? ['External OWAUrl', o.url, used] : ['Internal OWAUrl', o.url, used && !hasExternalOwa]),
    ];
    for (const [field, value, checkUse] of urls) {
      if (value === undefined) continue;
      const url = safeUrl(value);
      if (!url) {
        notes.push({ code: 'URL_INVALID', detail: `${label} ${field} "${value}" is not an absolute URL` });
        continue;
      }
      if (!checkUse) continue;
      if ((field === 'EwsUrl' || field === 'ASUrl') && url.protocol !== 'https:') {
        notes.push({ code: 'EWSURL_NOT_HTTPS', detail: `${label} ${field} ${value} is not https` });
      }
      const reason = internalHostReason(url.hostname);
      if (reason) {
        const entry = hosts.get(url.hostname) ?? { reason, where: [] };
        entry.where.push(`${label} ${field}`);
        hosts.set(url.hostname, entry);
      }
    }
    for (const n of p.nested) visit(n.protocol, `${label} ${n.location === 'internal' ? 'Internal' : 'External'} `, used && n.location === 'external');
  };
  for (const p of protocols) visit(p, '', true);
  for (const [host, { reason, where }] of hosts) notes.push({ code: 'INTERNAL_HOST', detail: `${host}: ${reason}; used from outside the network in ${where.join(', ')}` });
  return notes;
}

/**
 * What Outlook would configure from a settings answer. EWS: EXPR EwsUrl → EXCH EwsUrl → ASUrl
 * (EWS Managed API falls back from EwsUrl to ASUrl); OWA external first; MAPI external first.
 */
export function summarizeSettings(parsed: SettingsResponse): SettingsSummary {
  const byType = (t: string): ProtocolSettings | undefined => parsed.protocols.find((p) => p.type.toLowerCase() === t.toLowerCase());
  const expr = byType('EXPR');
  const exch = byType('EXCH');
  const web = byType('WEB');
  const mapi = byType('mapiHttp');
  const any = (pick: (p: ProtocolSettings) => string | undefined): string | undefined => parsed.protocols.map(pick).find((v) => v !== undefined);
  const webExternalAsUrl = web?.nested.find((n) => n.location === 'external')?.protocol.asUrl;
  const ewsUrl = expr?.ewsUrl ?? exch?.ewsUrl ?? any((p) => p.ewsUrl) ?? expr?.asUrl ?? exch?.asUrl ?? any((p) => p.asUrl) ?? webExternalAsUrl;
  const owa = web?.owaUrls.find((o) => o.location === 'external') ?? web?.owaUrls[0];
  return compact({
    displayName: parsed.user.displayName,
    autoDiscoverSmtpAddress: parsed.user.autoDiscoverSmtpAddress,
    microsoftOnline: parsed.account.microsoftOnline,
    ewsUrl,
    oabUrl: expr?.oabUrl ?? exch?.oabUrl ?? any((p) => p.oabUrl),
    owaUrl: owa?.url,
    mapiMailStoreUrl: mapi?.mailStore?.externalUrl ?? mapi?.mailStore?.internalUrl,
    mapiAddressBookUrl: mapi?.addressBook?.externalUrl ?? mapi?.addressBook?.internalUrl,
    protocols: parsed.protocols.map((p) =>
      compact({ type: p.type, server: p.server, ewsUrl: p.ewsUrl, serverVersion: p.serverVersion, decodedVersion: p.decodedVersion?.text }) as SettingsSummary['protocols'][number],
    ),
  }) as SettingsSummary;
}

/** One line for a step summary, e.g. "settings: EXCH, EXPR, WEB" or "error 500 (the e-mail address can't be found)". */
export function describeParsedResponse(parsed: ParsedResponse): string {
  switch (parsed.kind) {
    case 'settings':
      return `settings: ${parsed.protocols.map((p) => p.type || '?').join(', ') || 'no Protocol blocks'}`;
    case 'redirectAddr':
      return `redirect to address ${parsed.address}`;
    case 'redirectUrl':
      return `redirect to URL ${parsed.url}`;
    case 'error':
      return `error ${parsed.code || '(no code)'}${parsed.meaning ? ` (${parsed.meaning})` : parsed.message ? ` (${parsed.message})` : ''}`;
    case 'mobilesync-settings':
      return `mobilesync settings: ${parsed.servers.map((s) => s.type ?? '?').join(', ') || 'no servers'}`;
    case 'mobilesync-error':
      return `mobilesync error status ${parsed.status || '(none)'}${parsed.message ? ` (${parsed.message})` : ''}`;
    case 'invalid':
      return `not an Autodiscover answer: ${parsed.detail}`;
  }
}

function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

// Bodies are attacker-controlled and end up on terminals: no control characters in excerpts.
function excerpt(text: string): string {
  const t = text.trim().slice(0, 40).replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return t.length < text.trim().length ? `${t}…` : t;
}

/** Drop undefined fields so traces stay small and JSON round-trips equal. */
function compact<T extends Record<string, unknown>>(obj: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
