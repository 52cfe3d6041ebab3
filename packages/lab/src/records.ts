/** What the lab saw: the evidence tests assert on (e.g. that credentials never went over http). */

/** One HTTP request received by any endpoint, recorded before it is answered. */
export interface LabRequest {
  /** `host:port` key of the endpoint that received it (its primary host). */
  endpoint: string;
  /** The name the client asked for: SNI on TLS when sent, else the Host header (no port), lower-case. */
  host: string;
  /** The real port the endpoint stands for (443, 80), not the loopback port. */
  port: number;
  tls: boolean;
  /** SNI as sent (TLS only). */
  sni?: string;
  method: string;
  /** Request target as sent (path and query). */
  path: string;
  /** Headers exactly as received: names in their case, repeats kept, in order. */
  headers: Array<[string, string]>;
  /** Body as UTF-8 (capped at 1 MiB). */
  body: string;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** Status the lab answered with; unset while unanswered (silent routes, resets). */
  status?: number;
  /** Index in `connections` of the connection that carried it (NTLM is bound to one). */
  connection?: number;
}

/** One TCP connection accepted by any endpoint (silent and reset endpoints included). */
export interface LabConnection {
  endpoint: string;
  port: number;
  at: number;
}

/** First value of a header in a recorded request, by case-insensitive name. */
export function headerValue(request: LabRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}
