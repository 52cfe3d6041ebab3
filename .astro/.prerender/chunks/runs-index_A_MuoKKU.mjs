import { s as __exportAll, t as allRuns } from "./data_jq-fow6R.mjs";
// site/src/pages/runs-index.js.ts
/**
* Every run in one small script for the filter form (RunsFilter.astro): a classic script that sets
* a global, so it loads from file:// where fetch() cannot. Rows, not objects: about 200 bytes a run.
*/
var runs_index_js_exports = /* @__PURE__ */ __exportAll({ GET: () => GET });
async function GET() {
	const runs = (await allRuns()).map((r) => [
		r.runId,
		r.address,
		r.domain,
		r.region,
		r.verdict,
		r.startedAt,
		r.headline.length > 140 ? `${r.headline.slice(0, 139)}…` : r.headline
	]);
	const body = `window.discotraceRuns=${JSON.stringify({ runs }).replace(/</g, "\\u003c")};\n`;
	return new Response(body, { headers: { "content-type": "text/javascript; charset=utf-8" } });
}
// \0virtual:astro:page:src/pages/runs-index.js@_@ts
var page = () => runs_index_js_exports;
export { page };
