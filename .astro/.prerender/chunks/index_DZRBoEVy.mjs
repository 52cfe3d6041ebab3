import { c as $$Page, h as createComponent } from "./format_BW8wLb5D.mjs";
import { o as renderComponent, p as renderTemplate } from "./server_CIyWcPjh.mjs";
import { n as listings, t as $$RunsListing } from "./RunsListing_DgdpaLO9.mjs";
import { s as __exportAll, t as allRuns } from "./data_jq-fow6R.mjs";
// site/src/pages/index.astro
var pages_exports = /* @__PURE__ */ __exportAll({
	default: () => $$Index,
	file: () => $$file,
	url: () => ""
});
var $$Index = createComponent(async ($$result, $$props, $$slots) => {
	const root = "";
	const all = listings(await allRuns())[0];
	return renderTemplate`${renderComponent($$result, "Page", $$Page, {
		"title": "Runs",
		"root": root,
		"description": "Stored Autodiscover runs"
	}, { "default": ($$result) => renderTemplate` ${renderComponent($$result, "RunsListing", $$RunsListing, {
		"listing": all,
		"page": 1,
		"root": root
	})} ` })}`;
}, "/work/main/site/src/pages/index.astro", void 0);
var $$file = "/work/main/site/src/pages/index.astro";
// \0virtual:astro:page:src/pages/index@_@astro
var page = () => pages_exports;
export { page };
