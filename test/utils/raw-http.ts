/**
 * Raw HTTP messages and transcripts for tests: split a `.http` sample (status line, headers, body)
 * and pull the responses out of the `.txt` case transcripts, where response lines start with `< `
 * and the body follows (after a lone `<`, or directly) until a blank line or a comment.
 */

export interface RawHttpMessage {
  startLine: string;
  httpVersion?: string;
  /** Responses: status code and reason phrase (may be '' — e.g. "HTTP/1.1 456"). */
  status?: number;
  reason?: string;
  /** Requests: method and target. */
  method?: string;
  target?: string;
  /** Header pairs in order, names as sent. */
  headers: [string, string][];
  body: string;
}

/** Split one raw HTTP/1.x message (CRLF or LF line ends). */
export function parseRawHttpMessage(text: string): RawHttpMessage {
  const normalized = text.replace(/\r\n/g, '\n');
  const split = normalized.indexOf('\n\n');
  const head = split < 0 ? normalized : normalized.slice(0, split);
  const body = split < 0 ? '' : normalized.slice(split + 2);
  const [startLine, ...headerLines] = head.split('\n');
  const msg: RawHttpMessage = { startLine, headers: headerLines.filter((l) => l.trim() !== '').map(splitHeader), body };
  Object.assign(msg, parseStartLine(startLine));
  return msg;
}

function parseStartLine(line: string): Partial<RawHttpMessage> {
  const res = /^(HTTP\/\d(?:\.\d)?)\s+(\d{3})(?:\s+(.*))?$/.exec(line.trim());
  if (res) return { httpVersion: res[1], status: Number(res[2]), reason: (res[3] ?? '').trim() };
  const req = /^([A-Z]+)\s+(\S+)\s+(HTTP\/\d(?:\.\d)?)/.exec(line.trim());
  if (req) return { method: req[1], target: req[2], httpVersion: req[3] };
  return {};
}

function splitHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  return colon < 0 ? [line.trim(), ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

export function headerValues(headers: [string, string][], name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

export function headerValue(headers: [string, string][], name: string): string | undefined {
  return headerValues(headers, name)[0];
}

export interface TranscriptRequest {
  method: string;
  target: string;
  headers: [string, string][];
}

export interface TranscriptResponse extends RawHttpMessage {
  /** 1-based line of the status line in the transcript. */
  line: number;
  /** The request (`> ` lines) just before, if the transcript shows one. */
  request?: TranscriptRequest;
  /** A body given by reference: "(body: FILE)" or a "(FILE.xml)" note after the status line. */
  bodyRef?: string;
}

/** Every response in a case transcript, in order. */
export function extractTranscriptResponses(text: string): TranscriptResponse[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const responses: TranscriptResponse[] = [];
  let request: TranscriptRequest | undefined;
  let current: TranscriptResponse | undefined;
  let mode: 'none' | 'headers' | 'body' = 'none';
  let body: string[] = [];

  const close = (): void => {
    if (current) {
      current.body = body.join('\n');
      responses.push(current);
    }
    current = undefined;
    body = [];
    mode = 'none';
  };

  lines.forEach((line, i) => {
    const isResponseLine = line.startsWith('< ') || line === '<';
    const payload = isResponseLine ? line.slice(2) : '';
    if (isResponseLine && /^HTTP\/\d/.test(payload)) {
      close();
      // "< HTTP/1.1 200 OK   (BASELINE-settings-expr.xml)": the note names the body file.
      const ref = /\s+\((\S+\.(?:xml|json))\)\s*$/.exec(payload);
      const start = parseStartLine(ref ? payload.slice(0, ref.index) : payload);
      current = { startLine: payload.trim(), headers: [], body: '', line: i + 1, ...start };
      if (ref) current.bodyRef = ref[1];
      if (request) current.request = request;
      request = undefined;
      mode = 'headers';
      return;
    }
    if (line.startsWith('> ')) {
      close();
      const req = /^([A-Z]+)\s+(\S+)\s+HTTP\/\d/.exec(line.slice(2).trim());
      if (req) request = { method: req[1], target: req[2], headers: [] };
      else if (request && /^[A-Za-z][A-Za-z0-9-]*:/.test(line.slice(2).trim())) request.headers.push(splitHeader(line.slice(2)));
      return;
    }
    if (!current) return;
    if (mode === 'headers') {
      if (isResponseLine && payload.trim() === '') {
        mode = 'body';
        return;
      }
      if (isResponseLine) {
        current.headers.push(splitHeader(payload));
        return;
      }
      // No lone "<" before the body: the body starts right after the headers (or there is none).
      mode = 'body';
    }
    if (endsBody(line)) {
      close();
      return;
    }
    const ref = /^\(body:\s*(\S+)\)$/.exec(line.trim());
    if (ref) current.bodyRef = ref[1];
    else body.push(line);
  });
  close();
  return responses;
}

// A blank line, a comment, a scenario label "(b) …" or a request ends a transcript body.
function endsBody(line: string): boolean {
  return line.trim() === '' || line.startsWith('#') || /^\([a-z]\)\s/.test(line) || line.startsWith('> ');
}
