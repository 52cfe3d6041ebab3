/**
 * Every run in one small script for the filter form (RunsFilter.astro): a classic script that sets
 * a global, so it loads from file:// where fetch() cannot. Rows, not objects: about 200 bytes a run.
 */
import { allRuns } from '../lib/data.ts';
import { domainSlug } from '../lib/paths.ts';

export async function GET(): Promise<Response> {
  const runs = (await allRuns()).map((r) => [r.runId, r.address, r.domain, r.region, r.verdict, r.startedAt, r.headline.length > 140 ? `${r.headline.slice(0, 139)}…` : r.headline, r.domain && domainSlug(r.domain)]);
  // JSON is valid JavaScript; escaping '<' keeps a hostile headline from closing a script element.
  const body = `window.discotraceRuns=${JSON.stringify({ runs }).replace(/</g, '\\u003c')};\n`;
  return new Response(body, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
}
