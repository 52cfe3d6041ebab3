import { c as $$Page, h as createComponent, l as domainHref, m as createAstro, p as runHref, r as VERDICT, s as utc } from "./format_BW8wLb5D.mjs";
import { b as addAttribute, m as maybeRenderHead, o as renderComponent, p as renderTemplate, s as Fragment } from "./server_CIyWcPjh.mjs";
import { r as factTable, t as FACT_SECTIONS } from "./facts_wtM-_ecb.mjs";
import { a as runsOfGroup, n as facets, r as loadRun, s as __exportAll } from "./data_jq-fow6R.mjs";
// site/src/components/FactTable.astro
createAstro("https://astro.build");
var $$FactTable = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$FactTable;
	const { rows, runs, root, onlyDifferences } = Astro.props;
	const shown = onlyDifferences ? rows.filter((r) => r.differs) : rows;
	const sections = FACT_SECTIONS.map((s) => ({
		...s,
		items: shown.filter((r) => r.section === s.section)
	})).filter((s) => s.items.length > 0);
	return renderTemplate`${shown.length === 0 ? renderTemplate`${maybeRenderHead($$result)}<p data-astro-cid-eww636tg>${onlyDifferences ? "No differences: every region saw the same." : "No facts recorded."}</p>` : renderTemplate`<div class="scroll" data-astro-cid-eww636tg> <table class="facts" data-astro-cid-eww636tg> <thead data-astro-cid-eww636tg> <tr data-astro-cid-eww636tg> <th scope="col" data-astro-cid-eww636tg>Fact</th> ${runs.map((run) => {
		const look = VERDICT[run.verdict] ?? {
			tone: "warn",
			label: run.verdict
		};
		return renderTemplate`<th scope="col" data-astro-cid-eww636tg><a${addAttribute(runHref(root, run.runId), "href")} data-astro-cid-eww636tg>${run.region}</a> <span${addAttribute(`tone tone-${look.tone}`, "class")} data-astro-cid-eww636tg>${look.label}</span></th>`;
	})} </tr> </thead> ${sections.map((s) => renderTemplate`<tbody data-astro-cid-eww636tg> <tr class="section" data-astro-cid-eww636tg><th scope="rowgroup"${addAttribute(runs.length + 1, "colspan")} data-astro-cid-eww636tg>${s.heading}</th></tr> ${s.items.map((row) => renderTemplate`<tr${addAttribute(row.differs ? "differs" : void 0, "class")} data-astro-cid-eww636tg> <th scope="row" class="subject" data-astro-cid-eww636tg>${row.differs && renderTemplate`<span class="flag" data-astro-cid-eww636tg>differs</span>`} ${row.subject}</th> ${row.values.map((v) => renderTemplate`<td class="val" data-astro-cid-eww636tg>${v ?? renderTemplate`<span class="muted" data-astro-cid-eww636tg>–</span>`}</td>`)} </tr>`)} </tbody>`)} </table> </div>`}`;
}, "/work/main/site/src/components/FactTable.astro", void 0);
// site/src/pages/group/[group].astro
var _group__exports = /* @__PURE__ */ __exportAll({
	default: () => $$Group,
	file: () => $$file,
	getStaticPaths: () => getStaticPaths,
	url: () => $$url
});
createAstro("https://astro.build");
async function getStaticPaths() {
	return (await facets()).groups.map((group) => ({ params: { group } }));
}
var $$Group = createComponent(async ($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Group;
	const root = "../";
	const group = Astro.params.group;
	const runs = await runsOfGroup(group);
	const rows = factTable(await Promise.all(runs.map((r) => loadRun(r.runId))));
	const differing = rows.filter((r) => r.differs).length;
	const first = runs[0];
	return renderTemplate`${renderComponent($$result, "Page", $$Page, {
		"title": `${first.address} from ${runs.length} regions`,
		"root": root,
		"data-astro-cid-h7nefmn7": true
	}, { "default": ($$result) => renderTemplate` ${maybeRenderHead($$result)}<nav aria-label="Breadcrumb" class="crumbs" data-astro-cid-h7nefmn7> <a${addAttribute(`${root}index.html`, "href")} data-astro-cid-h7nefmn7>Runs</a> › ${first.domain && renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<a${addAttribute(domainHref(root, first.domain), "href")} data-astro-cid-h7nefmn7>${first.domain}</a> ›` })}`} <span aria-current="page" data-astro-cid-h7nefmn7>regions ${group}</span> </nav> <h1 data-astro-cid-h7nefmn7><span class="mono" data-astro-cid-h7nefmn7>${first.address}</span> from ${runs.length} regions</h1> <p class="muted" data-astro-cid-h7nefmn7>Started ${utc(first.startedAt)} · regions ${runs.map((r) => r.region).join(", ")} · ${differing} of ${rows.length} facts differ</p> <h2 id="differences" data-astro-cid-h7nefmn7>Differences</h2> ${renderComponent($$result, "FactTable", $$FactTable, {
		"rows": rows,
		"runs": runs,
		"root": root,
		"onlyDifferences": true,
		"data-astro-cid-h7nefmn7": true
	})} <details data-astro-cid-h7nefmn7> <summary data-astro-cid-h7nefmn7>Everything, side by side (${rows.length} facts)</summary> ${renderComponent($$result, "FactTable", $$FactTable, {
		"rows": rows,
		"runs": runs,
		"root": root,
		"onlyDifferences": false,
		"data-astro-cid-h7nefmn7": true
	})} </details> ` })}`;
}, "/work/main/site/src/pages/group/[group].astro", void 0);
var $$file = "/work/main/site/src/pages/group/[group].astro";
var $$url = "/group/[group].html";
// \0virtual:astro:page:src/pages/group/[group]@_@astro
var page = () => _group__exports;
export { page };
