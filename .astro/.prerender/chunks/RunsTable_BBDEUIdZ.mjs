import { b as addAttribute, m as maybeRenderHead, o as renderComponent, p as renderTemplate, s as Fragment } from "./server_CIyWcPjh.mjs";
import { h as createComponent, l as domainHref, m as createAstro, p as runHref, r as VERDICT, s as utc, u as groupHref } from "./format_BW8wLb5D.mjs";
// site/src/components/RunsTable.astro
createAstro("https://astro.build");
var $$RunsTable = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$RunsTable;
	const { runs, root, caption, showDomain = true } = Astro.props;
	return renderTemplate`${maybeRenderHead($$result)}<table class="runs" data-astro-cid-x42jagho> <caption class="visually-hidden" data-astro-cid-x42jagho>${caption}</caption> <thead data-astro-cid-x42jagho> <tr data-astro-cid-x42jagho> <th scope="col" data-astro-cid-x42jagho>Started</th><th scope="col" data-astro-cid-x42jagho>Address</th>${showDomain && renderTemplate`<th scope="col" data-astro-cid-x42jagho>Domain</th>`} <th scope="col" data-astro-cid-x42jagho>Region</th><th scope="col" data-astro-cid-x42jagho>Verdict</th><th scope="col" data-astro-cid-x42jagho>Summary</th> </tr> </thead> <tbody data-astro-cid-x42jagho> ${runs.map((run) => {
		const look = VERDICT[run.verdict] ?? {
			tone: "warn",
			label: run.verdict
		};
		return renderTemplate`<tr${addAttribute(run.verdict, "data-verdict")}${addAttribute(run.region, "data-region")} data-astro-cid-x42jagho> <td class="when" data-astro-cid-x42jagho><a${addAttribute(runHref(root, run.runId), "href")} data-astro-cid-x42jagho>${utc(run.startedAt)}</a></td> <td class="mono addr" data-astro-cid-x42jagho>${run.address}</td> ${showDomain && renderTemplate`<td data-astro-cid-x42jagho>${run.domain ? renderTemplate`<a${addAttribute(domainHref(root, run.domain), "href")} data-astro-cid-x42jagho>${run.domain}</a>` : renderTemplate`<span class="muted" data-astro-cid-x42jagho>–</span>`}</td>`} <td data-astro-cid-x42jagho>${run.region}${run.group && renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate` · <a${addAttribute(groupHref(root, run.group), "href")} data-astro-cid-x42jagho>compare</a>` })}`}</td> <td data-astro-cid-x42jagho><span${addAttribute(`tone tone-${look.tone}`, "class")} data-astro-cid-x42jagho>${look.label}</span></td> <td class="headline" data-astro-cid-x42jagho>${run.headline}</td> </tr>`;
	})} </tbody> </table>`;
}, "/work/main/site/src/components/RunsTable.astro", void 0);
export { $$RunsTable as t };
