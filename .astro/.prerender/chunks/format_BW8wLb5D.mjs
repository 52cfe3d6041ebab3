import { $ as ASTRO_GENERATOR, J as UnavailableAstroGlobal, M as InvalidComponentArgs, X as AstroError, b as addAttribute, h as renderHead, p as renderTemplate, u as renderSlot } from "./server_CIyWcPjh.mjs";
// node_modules/astro/dist/runtime/server/astro-component.js
function validateArgs(args) {
	if (args.length !== 3) return false;
	if (!args[0] || typeof args[0] !== "object") return false;
	return true;
}
function baseCreateComponent(cb, moduleId, propagation) {
	const name = moduleId?.split("/").pop()?.replace(".astro", "") ?? "";
	const fn = (...args) => {
		if (!validateArgs(args)) throw new AstroError({
			...InvalidComponentArgs,
			message: InvalidComponentArgs.message(name)
		});
		return cb(...args);
	};
	Object.defineProperty(fn, "name", {
		value: name,
		writable: false
	});
	fn.isAstroComponentFactory = true;
	fn.moduleId = moduleId;
	fn.propagation = propagation;
	return fn;
}
function createComponentWithOptions(opts) {
	return baseCreateComponent(opts.factory, opts.moduleId, opts.propagation);
}
function createComponent(arg1, moduleId, propagation) {
	if (typeof arg1 === "function") return baseCreateComponent(arg1, moduleId, propagation);
	else return createComponentWithOptions(arg1);
}
// node_modules/astro/dist/runtime/server/astro-global.js
function createError(name) {
	return new AstroError({
		...UnavailableAstroGlobal,
		message: UnavailableAstroGlobal.message(name)
	});
}
function createAstro(site) {
	return {
		get site() {
			console.warn(`Astro.site inside getStaticPaths is deprecated and will be removed in a future major version of Astro. Use import.meta.env.SITE instead`);
			return site ? new URL(site) : void 0;
		},
		get generator() {
			console.warn(`Astro.generator inside getStaticPaths is deprecated and will be removed in a future major version of Astro.`);
			return ASTRO_GENERATOR;
		},
		get callAction() {
			throw createError("callAction");
		},
		get clientAddress() {
			throw createError("clientAddress");
		},
		get cookies() {
			throw createError("cookies");
		},
		get csp() {
			throw createError("csp");
		},
		get currentLocale() {
			throw createError("currentLocale");
		},
		get getActionResult() {
			throw createError("getActionResult");
		},
		get isPrerendered() {
			throw createError("isPrerendered");
		},
		get locals() {
			throw createError("locals");
		},
		get originPathname() {
			throw createError("originPathname");
		},
		get params() {
			throw createError("params");
		},
		get preferredLocale() {
			throw createError("preferredLocale");
		},
		get preferredLocaleList() {
			throw createError("preferredLocaleList");
		},
		get props() {
			throw createError("props");
		},
		get redirect() {
			throw createError("redirect");
		},
		get request() {
			throw createError("request");
		},
		get response() {
			throw createError("response");
		},
		get rewrite() {
			throw createError("rewrite");
		},
		get routePattern() {
			throw createError("routePattern");
		},
		get self() {
			throw createError("self");
		},
		get slots() {
			throw createError("slots");
		},
		get url() {
			throw createError("url");
		},
		get session() {
			throw createError("session");
		},
		get cache() {
			throw createError("cache");
		},
		get logger() {
			throw createError("logger");
		}
	};
}
// site/src/lib/paths.ts
var runHref = (root, runId) => `${root}run/${runId}.html`;
var domainHref = (root, domain) => `${root}domain/${domain}.html`;
var groupHref = (root, group) => `${root}group/${group}.html`;
var listHref = (root, list, page) => list === "all" && page === 1 ? `${root}index.html` : `${root}runs/${list}/${page}.html`;
/** Region names become path segments: keep them to safe characters. */
var regionSlug = (region) => region.toLowerCase().replace(/[^a-z0-9-]+/g, "_");
var $$Page = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Page;
	const { title, root, description } = Astro.props;
	return renderTemplate`<html lang="en" data-astro-cid-ybatimd6> <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="generator" content="discotrace">${description && renderTemplate`<meta name="description"${addAttribute(description, "content")}>`}<title>${title} · discotrace</title>${renderHead($$result)}</head> <body data-astro-cid-ybatimd6> <a class="skip" href="#main" data-astro-cid-ybatimd6>Skip to content</a> <header class="top" data-astro-cid-ybatimd6> <div class="wrap bar" data-astro-cid-ybatimd6> <a class="brand"${addAttribute(listHref(root, "all", 1), "href")} data-astro-cid-ybatimd6>discotrace</a> <nav aria-label="Site" data-astro-cid-ybatimd6> <a${addAttribute(listHref(root, "all", 1), "href")} data-astro-cid-ybatimd6>Runs</a> </nav> </div> </header> <main id="main" class="wrap" tabindex="-1" data-astro-cid-ybatimd6> ${renderSlot($$result, $$slots["default"])} </main> <footer class="wrap foot" data-astro-cid-ybatimd6> <p class="muted" data-astro-cid-ybatimd6>Built by discotrace from stored Autodiscover traces. Times are UTC. Credentials are never stored; request headers that carry them are masked.</p> </footer> </body> </html>`;
}, "/work/main/site/src/layouts/Page.astro", void 0);
// site/src/lib/format.ts
function duration(ms) {
	if (ms === void 0 || !Number.isFinite(ms)) return "–";
	if (ms < 1) return "<1 ms";
	if (ms < 1e3) return `${Math.round(ms)} ms`;
	if (ms < 6e4) return `${(ms / 1e3).toFixed(ms < 1e4 ? 2 : 1)} s`;
	return `${Math.floor(ms / 6e4)} min ${Math.round(ms % 6e4 / 1e3)} s`;
}
/** "2026-12-03 18:49:14 UTC": reports are compared across regions, so one time zone. */
function utc(iso) {
	if (!iso) return "–";
	const time = new Date(iso);
	return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
/** Icon and words for a step status; the words are what a screen reader says. */
function stepBadge(status, expected) {
	if (expected && (status === "fail" || status === "warn")) return {
		tone: "expected",
		icon: "◌",
		label: "expected failure"
	};
	switch (status) {
		case "pass": return {
			tone: "ok",
			icon: "✓",
			label: "passed"
		};
		case "fail": return {
			tone: "fail",
			icon: "✗",
			label: "failed"
		};
		case "warn": return {
			tone: "warn",
			icon: "!",
			label: "warning"
		};
		case "info": return {
			tone: "info",
			icon: "i",
			label: "information"
		};
		default: return {
			tone: "skip",
			icon: "–",
			label: "skipped"
		};
	}
}
function candidateTone(status, expected) {
	switch (status) {
		case "settings":
		case "redirectAddr":
		case "answered": return "ok";
		case "error-response": return expected ? "expected" : "warn";
		case "failed": return expected ? "expected" : "fail";
		default: return "skip";
	}
}
var CANDIDATE_STATUS = {
	settings: "settings",
	redirectAddr: "redirectAddr",
	"error-response": "error response",
	answered: "answered",
	failed: "failed",
	skipped: "skipped",
	"not-run": "not run"
};
var VERDICT = {
	found: {
		tone: "ok",
		label: "Settings found"
	},
	"not-found": {
		tone: "fail",
		label: "Not found"
	},
	incomplete: {
		tone: "warn",
		label: "Incomplete"
	}
};
var ROLE = {
	onprem: "on-premises",
	cloud: "Exchange Online"
};
export { duration as a, $$Page as c, listHref as d, regionSlug as f, createComponent as h, candidateTone as i, domainHref as l, createAstro as m, ROLE as n, stepBadge as o, runHref as p, VERDICT as r, utc as s, CANDIDATE_STATUS as t, groupHref as u };
