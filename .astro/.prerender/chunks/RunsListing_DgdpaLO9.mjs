import { d as listHref, f as regionSlug, h as createComponent, l as domainHref, m as createAstro } from "./format_BW8wLb5D.mjs";
import { b as addAttribute, m as maybeRenderHead, o as renderComponent, p as renderTemplate, s as Fragment } from "./server_CIyWcPjh.mjs";
import { t as $$RunsTable } from "./RunsTable_BBDEUIdZ.mjs";
import { n as facets, o as skippedDocuments } from "./data_jq-fow6R.mjs";
// site/src/components/RunsFilter.astro
createAstro("https://astro.build");
var $$RunsFilter = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$RunsFilter;
	const { root, regions, verdicts } = Astro.props;
	return renderTemplate`${maybeRenderHead($$result)}<form class="filter" data-filter${addAttribute(root, "data-root")}${addAttribute(`${root}runs-index.js`, "data-index")} hidden role="search" aria-label="Filter runs" data-astro-cid-otf4lqli> <label data-astro-cid-otf4lqli>Address or domain <input type="search" name="q" placeholder="alice@contoso.com" autocomplete="off" data-astro-cid-otf4lqli></label> <label data-astro-cid-otf4lqli>Verdict
<select name="verdict" data-astro-cid-otf4lqli><option value="" data-astro-cid-otf4lqli>any</option>${verdicts.map((v) => renderTemplate`<option${addAttribute(v, "value")} data-astro-cid-otf4lqli>${v}</option>`)}</select> </label> <label data-astro-cid-otf4lqli>Region
<select name="region" data-astro-cid-otf4lqli><option value="" data-astro-cid-otf4lqli>any</option>${regions.map((r) => renderTemplate`<option${addAttribute(r, "value")} data-astro-cid-otf4lqli>${r}</option>`)}</select> </label> <label data-astro-cid-otf4lqli>From <input type="date" name="from" data-astro-cid-otf4lqli></label> <label data-astro-cid-otf4lqli>To <input type="date" name="to" data-astro-cid-otf4lqli></label> <button type="submit" data-astro-cid-otf4lqli>Filter</button> <button type="reset" data-astro-cid-otf4lqli>Clear</button> </form> <p class="muted" data-filter-status role="status" aria-live="polite" data-astro-cid-otf4lqli></p> <div data-filter-results hidden data-astro-cid-otf4lqli></div> <nav aria-label="Listings" class="facets" data-astro-cid-otf4lqli> <span data-astro-cid-otf4lqli>By verdict:</span> ${verdicts.map((v) => renderTemplate`<a${addAttribute(listHref(root, `verdict-${v}`, 1), "href")} data-astro-cid-otf4lqli>${v}</a>`)} <span data-astro-cid-otf4lqli>By region:</span> ${regions.map((r) => renderTemplate`<a${addAttribute(listHref(root, `region-${regionSlug(r)}`, 1), "href")} data-astro-cid-otf4lqli>${r}</a>`)} </nav> <script>
(() => {
  const form = document.querySelector('[data-filter]');
  if (!form) return;
  const status = document.querySelector('[data-filter-status]');
  const results = document.querySelector('[data-filter-results]');
  const listing = document.querySelector('[data-listing]');
  const root = form.dataset.root;
  form.hidden = false;
  let loading;
  // A classic <script> (not fetch): works from a web server and from file:// alike.
  const load = () => loading ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = form.dataset.index;
    s.onload = () => resolve(window.discotraceRuns);
    s.onerror = () => reject(new Error('could not load the run index'));
    document.head.append(s);
  });
  const esc = (t) => String(t).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const LABEL = { found: ['ok', 'Settings found'], 'not-found': ['fail', 'Not found'], incomplete: ['warn', 'Incomplete'] };
  const LIMIT = 500;
  async function apply(event) {
    event?.preventDefault();
    const q = form.q.value.trim().toLowerCase();
    const f = { verdict: form.verdict.value, region: form.region.value, from: form.from.value, to: form.to.value };
    if (!q && !f.verdict && !f.region && !f.from && !f.to) {
      results.hidden = true; if (listing) listing.hidden = false; status.textContent = ''; return;
    }
    status.textContent = 'Loading…';
    let index;
    try { index = await load(); } catch (e) { status.textContent = e.message; return; }
    const matches = index.runs.filter(([, address, domain, region, verdict, startedAt]) =>
      (!q || address.toLowerCase().includes(q) || domain.includes(q)) &&
      (!f.verdict || verdict === f.verdict) && (!f.region || region === f.region) &&
      (!f.from || startedAt.slice(0, 10) >= f.from) && (!f.to || startedAt.slice(0, 10) <= f.to));
    status.textContent = \`\${matches.length} of \${index.runs.length} runs match\${matches.length > LIMIT ? \`; showing the newest \${LIMIT}\` : ''}.\`;
    const rows = matches.slice(0, LIMIT).map(([runId, address, domain, region, verdict, startedAt, headline]) => {
      const [tone, label] = LABEL[verdict] ?? ['warn', verdict];
      return \`<tr><td class="when"><a href="\${root}run/\${esc(runId)}.html">\${esc(startedAt.slice(0, 19).replace('T', ' '))} UTC</a></td>\` +
        \`<td class="mono">\${esc(address)}</td><td>\${domain ? \`<a href="\${root}domain/\${esc(domain)}.html">\${esc(domain)}</a>\` : ''}</td>\` +
        \`<td>\${esc(region)}</td><td><span class="tone tone-\${tone}">\${esc(label)}</span></td><td class="muted">\${esc(headline)}</td></tr>\`;
    }).join('');
    results.innerHTML = \`<table><caption class="visually-hidden">Filtered runs</caption><thead><tr><th scope="col">Started</th><th scope="col">Address</th><th scope="col">Domain</th><th scope="col">Region</th><th scope="col">Verdict</th><th scope="col">Summary</th></tr></thead><tbody>\${rows}</tbody></table>\`;
    results.hidden = false;
    if (listing) listing.hidden = true;
  }
  form.addEventListener('submit', apply);
  form.addEventListener('reset', () => setTimeout(apply, 0));
  form.addEventListener('change', apply);
})();
<\/script>`;
}, "/work/main/site/src/components/RunsFilter.astro", void 0);
// site/src/components/Pager.astro
createAstro("https://astro.build");
var $$Pager = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Pager;
	const { root, list, page, pages } = Astro.props;
	const shown = [.../* @__PURE__ */ new Set([
		1,
		page - 2,
		page - 1,
		page,
		page + 1,
		page + 2,
		pages
	])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
	return renderTemplate`${pages > 1 && renderTemplate`${maybeRenderHead($$result)}<nav class="pager" aria-label="Pages" data-astro-cid-husxmhl5> ${page > 1 ? renderTemplate`<a${addAttribute(listHref(root, list, page - 1), "href")} rel="prev" data-astro-cid-husxmhl5>← Newer</a>` : renderTemplate`<span class="muted" data-astro-cid-husxmhl5>← Newer</span>`} ${shown.map((p, i) => renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate` ${i > 0 && p - (shown[i - 1] ?? p) > 1 && renderTemplate`<span class="muted" data-astro-cid-husxmhl5>…</span>`} ${p === page ? renderTemplate`<span aria-current="page" class="current" data-astro-cid-husxmhl5>${p}</span>` : renderTemplate`<a${addAttribute(listHref(root, list, p), "href")} data-astro-cid-husxmhl5>${p}</a>`} ` })}`)} ${page < pages ? renderTemplate`<a${addAttribute(listHref(root, list, page + 1), "href")} rel="next" data-astro-cid-husxmhl5>Older →</a>` : renderTemplate`<span class="muted" data-astro-cid-husxmhl5>Older →</span>`} </nav>`}`;
}, "/work/main/site/src/components/Pager.astro", void 0);
// site/src/lib/listing.ts
var VERDICTS = [
	"found",
	"not-found",
	"incomplete"
];
function listings(runs) {
	const result = [make("all", "All runs", runs)];
	for (const verdict of VERDICTS) {
		const some = runs.filter((r) => r.verdict === verdict);
		if (some.length) result.push(make(`verdict-${verdict}`, `Runs with verdict ${verdict}`, some));
	}
	const regions = [...new Set(runs.map((r) => r.region))].sort();
	for (const region of regions) result.push(make(`region-${regionSlug(region)}`, `Runs from region ${region}`, runs.filter((r) => r.region === region)));
	return result;
}
function make(list, title, runs) {
	return {
		list,
		title,
		runs,
		pages: Math.max(1, Math.ceil(runs.length / 100))
	};
}
function pageOf(listing, page) {
	return listing.runs.slice((page - 1) * 100, page * 100);
}
// site/src/components/RunsListing.astro
createAstro("https://astro.build");
var $$RunsListing = createComponent(async ($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$RunsListing;
	const { listing, page, root } = Astro.props;
	const { regions, domains } = await facets();
	const runs = pageOf(listing, page);
	const skipped = skippedDocuments();
	const first = (page - 1) * 100 + 1;
	return renderTemplate`${maybeRenderHead($$result)}<h1 data-astro-cid-meklmxmf>${listing.title}</h1> <p class="muted" data-astro-cid-meklmxmf> ${listing.runs.length === 0 ? "No runs stored yet." : `${listing.runs.length} runs, newest first${listing.pages > 1 ? ` · runs ${first}–${first + runs.length - 1} (page ${page} of ${listing.pages})` : ""}.`} </p> ${listing.runs.length === 0 && renderTemplate`<p data-astro-cid-meklmxmf>Run <code data-astro-cid-meklmxmf>npm run demo</code> (the lab) or <code data-astro-cid-meklmxmf>npm run discotrace -- probe alice@contoso.com</code>, then build the site again with <code data-astro-cid-meklmxmf>npm run site</code>.</p>`} ${renderComponent($$result, "RunsFilter", $$RunsFilter, {
		"root": root,
		"regions": regions,
		"verdicts": VERDICTS,
		"data-astro-cid-meklmxmf": true
	})} <div data-listing data-astro-cid-meklmxmf> ${runs.length > 0 && renderTemplate`${renderComponent($$result, "RunsTable", $$RunsTable, {
		"runs": runs,
		"root": root,
		"caption": `${listing.title}, page ${page}`,
		"data-astro-cid-meklmxmf": true
	})}`} ${renderComponent($$result, "Pager", $$Pager, {
		"root": root,
		"list": listing.list,
		"page": page,
		"pages": listing.pages,
		"data-astro-cid-meklmxmf": true
	})} </div> ${domains.length > 0 && renderTemplate`<details class="domains" data-astro-cid-meklmxmf> <summary data-astro-cid-meklmxmf>Domains (${domains.length})</summary> <ul data-astro-cid-meklmxmf>${domains.map((d) => renderTemplate`<li data-astro-cid-meklmxmf><a${addAttribute(domainHref(root, d), "href")} data-astro-cid-meklmxmf>${d}</a></li>`)}</ul> </details>`} ${skipped.length > 0 && renderTemplate`<section aria-labelledby="skipped-h" data-astro-cid-meklmxmf> <h2 id="skipped-h" data-astro-cid-meklmxmf>Documents that could not be read (${skipped.length})</h2> <p data-astro-cid-meklmxmf>These stored documents were left out of the site; the others are shown as usual.</p> <ul class="mono" data-astro-cid-meklmxmf>${skipped.slice(0, 50).map((s) => renderTemplate`<li data-astro-cid-meklmxmf>${s}</li>`)}</ul> </section>`}`;
}, "/work/main/site/src/components/RunsListing.astro", void 0);
export { listings as n, $$RunsListing as t };
