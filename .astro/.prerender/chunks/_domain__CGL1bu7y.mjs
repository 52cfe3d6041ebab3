import { c as $$Page, h as createComponent, m as createAstro, p as runHref, r as VERDICT, s as utc } from "./format_BW8wLb5D.mjs";
import { b as addAttribute, m as maybeRenderHead, o as renderComponent, p as renderTemplate, s as Fragment } from "./server_CIyWcPjh.mjs";
import { t as $$RunsTable } from "./RunsTable_BBDEUIdZ.mjs";
import { n as compareRuns, t as FACT_SECTIONS } from "./facts_wtM-_ecb.mjs";
import { i as runsOfDomain, r as loadRun, s as __exportAll, t as allRuns } from "./data_jq-fow6R.mjs";
// site/src/components/Timeline.astro
createAstro("https://astro.build");
var $$Timeline = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Timeline;
	const { runs, root } = Astro.props;
	const oldestFirst = [...runs].reverse();
	return renderTemplate`${maybeRenderHead($$result)}<ol class="timeline" aria-label="Verdicts, oldest to newest" data-astro-cid-3xih677i> ${oldestFirst.map((run) => {
		const look = VERDICT[run.verdict] ?? {
			tone: "warn",
			label: run.verdict
		};
		return renderTemplate`<li data-astro-cid-3xih677i> <a${addAttribute(runHref(root, run.runId), "href")}${addAttribute(`mark mark-${look.tone}`, "class")}${addAttribute(`${utc(run.startedAt)} · ${run.region} · ${look.label}`, "title")} data-astro-cid-3xih677i> <span class="visually-hidden" data-astro-cid-3xih677i>${utc(run.startedAt)}, ${run.region}: ${look.label}</span> </a> </li>`;
	})} </ol> <p class="muted span" data-astro-cid-3xih677i>${runs.length > 0 && `${utc(oldestFirst[0]?.startedAt)} → ${utc(runs[0]?.startedAt)}`}</p>`;
}, "/work/main/site/src/components/Timeline.astro", void 0);
// site/src/components/ChangeList.astro
createAstro("https://astro.build");
var $$ChangeList = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$ChangeList;
	const { changes } = Astro.props;
	const sections = FACT_SECTIONS.map((s) => ({
		...s,
		items: changes.filter((c) => c.section === s.section)
	})).filter((s) => s.items.length > 0);
	const WORD = {
		added: "new",
		removed: "gone",
		changed: "changed"
	};
	return renderTemplate`${changes.length === 0 ? renderTemplate`${maybeRenderHead($$result)}<p data-astro-cid-yjcqr67i>Nothing changed: the same DNS answers, certificates, statuses, redirects and settings.</p>` : sections.map((s) => renderTemplate`<section class="changes"${addAttribute(s.heading, "aria-label")} data-astro-cid-yjcqr67i> <h3 data-astro-cid-yjcqr67i>${s.heading} <span class="muted" data-astro-cid-yjcqr67i>(${s.items.length})</span></h3> <table data-astro-cid-yjcqr67i> <thead data-astro-cid-yjcqr67i><tr data-astro-cid-yjcqr67i><th scope="col" data-astro-cid-yjcqr67i>What</th><th scope="col" data-astro-cid-yjcqr67i>Change</th><th scope="col" data-astro-cid-yjcqr67i>Before</th><th scope="col" data-astro-cid-yjcqr67i>After</th></tr></thead> <tbody data-astro-cid-yjcqr67i> ${s.items.map((c) => renderTemplate`<tr${addAttribute(`change-${c.kind}`, "class")} data-astro-cid-yjcqr67i> <th scope="row" class="subject" data-astro-cid-yjcqr67i>${c.subject}</th> <td data-astro-cid-yjcqr67i><span${addAttribute(`tone tone-${c.kind === "removed" ? "fail" : c.kind === "added" ? "info" : "warn"}`, "class")} data-astro-cid-yjcqr67i>${WORD[c.kind]}</span></td> <td class="val" data-astro-cid-yjcqr67i><del data-astro-cid-yjcqr67i>${c.before ?? "–"}</del></td> <td class="val" data-astro-cid-yjcqr67i><ins data-astro-cid-yjcqr67i>${c.after ?? "–"}</ins></td> </tr>`)} </tbody> </table> </section>`)}`;
}, "/work/main/site/src/components/ChangeList.astro", void 0);
// site/src/pages/domain/[domain].astro
var _domain__exports = /* @__PURE__ */ __exportAll({
	default: () => $$Domain,
	file: () => $$file,
	getStaticPaths: () => getStaticPaths,
	url: () => $$url
});
createAstro("https://astro.build");
async function getStaticPaths() {
	return [...new Set((await allRuns()).map((r) => r.domain).filter((d) => d !== ""))].map((domain) => ({ params: { domain } }));
}
var $$Domain = createComponent(async ($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Domain;
	const root = "../";
	const domain = Astro.params.domain;
	const runs = await runsOfDomain(domain);
	const latest = runs[0];
	const good = runs.find((r) => r.verdict === "found");
	const baseline = latest.verdict === "found" ? runs[1] : good;
	const changes = baseline ? compareRuns(await loadRun(baseline.runId), await loadRun(latest.runId)) : void 0;
	const found = runs.filter((r) => r.verdict === "found").length;
	return renderTemplate`${renderComponent($$result, "Page", $$Page, {
		"title": domain,
		"root": root,
		"description": `Autodiscover history of ${domain}`,
		"data-astro-cid-6ouftctj": true
	}, { "default": ($$result) => renderTemplate` ${maybeRenderHead($$result)}<nav aria-label="Breadcrumb" class="crumbs" data-astro-cid-6ouftctj><a${addAttribute(`${root}index.html`, "href")} data-astro-cid-6ouftctj>Runs</a> › <span aria-current="page" data-astro-cid-6ouftctj>${domain}</span></nav> <h1 data-astro-cid-6ouftctj>History of <span class="mono" data-astro-cid-6ouftctj>${domain}</span></h1> <p class="muted" data-astro-cid-6ouftctj>${runs.length} runs · ${found} with settings found · last good run ${good ? utc(good.startedAt) : "never"}</p> <h2 id="timeline" data-astro-cid-6ouftctj>Verdict timeline</h2> ${renderComponent($$result, "Timeline", $$Timeline, {
		"runs": runs,
		"root": root,
		"data-astro-cid-6ouftctj": true
	})} <h2 id="changes" data-astro-cid-6ouftctj>${latest.verdict === "found" ? "What changed since the previous run" : "What changed since the last good run"}</h2> ${baseline ? renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate` <p data-astro-cid-6ouftctj>
From <a${addAttribute(runHref(root, baseline.runId), "href")} data-astro-cid-6ouftctj>${utc(baseline.startedAt)}</a> (${baseline.verdict}, ${baseline.region})
        to <a${addAttribute(runHref(root, latest.runId), "href")} data-astro-cid-6ouftctj>${utc(latest.startedAt)}</a> (${latest.verdict}, ${latest.region}).
</p> ${renderComponent($$result, "ChangeList", $$ChangeList, {
		"changes": changes ?? [],
		"data-astro-cid-6ouftctj": true
	})} ` })}` : renderTemplate`<p data-astro-cid-6ouftctj>${runs.length === 1 ? "Only one run so far: nothing to compare with." : "No run of this domain has found settings yet, so there is no good run to compare with."}</p>`}<h2 id="runs" data-astro-cid-6ouftctj>Runs</h2> ${renderComponent($$result, "RunsTable", $$RunsTable, {
		"runs": runs,
		"root": root,
		"caption": `Runs of ${domain}`,
		"showDomain": false,
		"data-astro-cid-6ouftctj": true
	})} ` })}`;
}, "/work/main/site/src/pages/domain/[domain].astro", void 0);
var $$file = "/work/main/site/src/pages/domain/[domain].astro";
var $$url = "/domain/[domain].html";
// \0virtual:astro:page:src/pages/domain/[domain]@_@astro
var page = () => _domain__exports;
export { page };
