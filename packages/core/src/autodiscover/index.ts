/**
 * Autodiscover protocol logic: pure and synchronous, no sockets. The probes and the walk call
 * these functions; everything here can be tested with strings.
 */
export { parseAddress, isTenantRoutingDomain, sameAddress, addressKey, TENANT_ROUTING_SUFFIXES } from './address.ts';
export type { AddressResult } from './address.ts';
export { internalHostReason, isInternalHost, INTERNAL_SUFFIXES } from './host.ts';
export { buildPoxRequest, escapeXml, AUTODISCOVER_NS, POX_CONTENT_TYPE, POX_REQUEST_HEADERS } from './request.ts';
export type { PoxSchema } from './request.ts';
export { sniffBody, parseContentType, isXmlMediaType, stripBom, extractHtmlTitle } from './content.ts';
export type { BodyKind, EmptyKind, ContentType, SniffedBody } from './content.ts';
export { parseAutodiscoverResponse, summarizeSettings, describeParsedResponse, POX_ACTIONS, RESPONSE_NOTE_LEVELS } from './response.ts';
export type {
  ParsedResponse,
  SettingsResponse,
  ErrorResponse,
  ResponseNote,
  ResponseNoteCode,
  InvalidReason,
  UserInfo,
  AccountInfo,
  ProtocolSettings,
  OwaUrl,
  MapiEndpoint,
  MobileSyncServer,
} from './response.ts';
export { POX_ERROR_CODES, describePoxErrorCode } from './error-codes.ts';
export type { PoxErrorCodeInfo } from './error-codes.ts';
export { decodeServerVersion } from './server-version.ts';
export type { ServerVersion } from './server-version.ts';
export {
  parseWwwAuthenticate,
  offersScheme,
  describeBearer,
  headerEntries,
  getHeader,
  getHeaderValues,
  exchangeMarkers,
  looksLikeExchange,
  isTruthyHeader,
  KNOWN_AUTH_SCHEMES,
  EXCHANGE_CLIENT_ID,
  EXCHANGE_MARKER_HEADERS,
} from './challenge.ts';
export type { Challenge, BearerInfo, HeaderInput } from './challenge.ts';
export { extractAadstsCodes, AADSTS_MEANINGS } from './aad.ts';
export type { AadstsCode } from './aad.ts';
export {
  normalizeUrl,
  urlKey,
  sameUrl,
  registrableDomain,
  checkUrlRedirect,
  checkRedirectMethodResponse,
  checkAddressRedirect,
  AUTODISCOVER_PATH,
  DEFAULT_REDIRECT_LIMIT,
} from './redirect.ts';
export type {
  UrlRedirectInput,
  UrlRedirectResult,
  UrlRedirectCode,
  RedirectMethodResult,
  AddressRedirectInput,
  AddressRedirectResult,
  AddressRedirectCode,
} from './redirect.ts';
export { buildV2Url, parseV2Response, canonicalV2Protocol, V2_PROTOCOLS } from './v2.ts';
export type { V2Form, V2Result, V2InvalidReason } from './v2.ts';
export { parseXmlDocument, decodeXmlText, MAX_XML_DEPTH } from './xml.ts';
export type { XmlElement, XmlAttribute, XmlParseResult } from './xml.ts';
