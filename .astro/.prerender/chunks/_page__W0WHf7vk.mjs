import { c as $$Page$1, h as createComponent, m as createAstro } from "./format_BW8wLb5D.mjs";
import { o as renderComponent, p as renderTemplate } from "./server_CIyWcPjh.mjs";
import { n as listings, t as $$RunsListing } from "./RunsListing_DgdpaLO9.mjs";
import { s as __exportAll, t as allRuns } from "./data_jq-fow6R.mjs";
// site/src/pages/runs/[list]/[page].astro
var _page__exports = /* @__PURE__ */ __exportAll({
	default: () => $$Page,
	file: () => $$file,
	getStaticPaths: () => getStaticPaths,
	url: () => $$url
});
createAstro("https://astro.build");
async function getStaticPaths() {
	const paths = [];
	for (const listing of listings(await allRuns())) for (let page = listing.list === "all" ? 2 : 1; page <= listing.pages; page++) paths.push({
		params: {
			list: listing.list,
			page: String(page)
		},
		props: { listing }
	});
	return paths;
}
var $$Page = createComponent(async ($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Page;
	const root = "../../";
	const { listing } = Astro.props;
	const page = Number(Astro.params.page);
	return renderTemplate`${renderComponent($$result, "Page", $$Page$1, {
		"title": `${listing.title}, page ${page}`,
		"root": root
	}, { "default": ($$result) => renderTemplate` ${renderComponent($$result, "RunsListing", $$RunsListing, {
		"listing": listing,
		"page": page,
		"root": root
	})} ` })}`;
}, "/work/main/site/src/pages/runs/[list]/[page].astro", void 0);
var $$file = "/work/main/site/src/pages/runs/[list]/[page].astro";
var $$url = "/runs/[list]/[page].html";
// \0virtual:astro:page:src/pages/runs/[list]/[page]@_@astro
var page = () => _page__exports;
export { page };
