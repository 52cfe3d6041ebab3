import { a as duration, c as $$Page, h as createComponent, i as candidateTone, l as domainHref, m as createAstro, n as ROLE, o as stepBadge, r as VERDICT, s as utc, t as CANDIDATE_STATUS, u as groupHref } from "./format_BW8wLb5D.mjs";
import { b as addAttribute, m as maybeRenderHead, o as renderComponent, p as renderTemplate, s as Fragment } from "./server_CIyWcPjh.mjs";
import { r as loadRun, s as __exportAll, t as allRuns } from "./data_jq-fow6R.mjs";
// site/src/components/VerdictBanner.astro
createAstro("https://astro.build");
var $$VerdictBanner = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$VerdictBanner;
	const { report } = Astro.props;
	const { verdict } = report;
	const look = VERDICT[verdict.status] ?? {
		tone: "warn",
		label: verdict.status
	};
	const settings = verdict.settings;
	const urls = settings ? [
		["EWS", settings.ewsUrl],
		["OAB", settings.oabUrl],
		["OWA", settings.owaUrl],
		["MAPI mail store", settings.mapiMailStoreUrl],
		["MAPI address book", settings.mapiAddressBookUrl],
		["ActiveSync", settings.activeSyncUrl]
	] : [];
	return renderTemplate`${maybeRenderHead($$result)}<section id="verdict"${addAttribute(`banner banner-${look.tone}`, "class")} aria-labelledby="verdict-heading" data-astro-cid-ukw2v2lb> <h2 id="verdict-heading" class="visually-hidden" data-astro-cid-ukw2v2lb>Verdict</h2> <p class="status" data-astro-cid-ukw2v2lb><span${addAttribute(`tone tone-${look.tone}`, "class")} data-astro-cid-ukw2v2lb>${look.label}</span></p> <p class="headline" data-astro-cid-ukw2v2lb>${verdict.headline}</p> ${verdict.cause && renderTemplate`<div class="cause" data-astro-cid-ukw2v2lb> <p data-astro-cid-ukw2v2lb><strong data-astro-cid-ukw2v2lb>Cause</strong> <a${addAttribute(`#finding-${verdict.cause.code}`, "href")} data-astro-cid-ukw2v2lb><code data-astro-cid-ukw2v2lb>${verdict.cause.code}</code></a>: ${verdict.cause.title}</p> <p data-astro-cid-ukw2v2lb>${verdict.cause.explanation}</p> </div>`} ${(verdict.fix ?? verdict.cause?.fix) && renderTemplate`<p class="fix" data-astro-cid-ukw2v2lb><strong data-astro-cid-ukw2v2lb>Fix</strong> ${verdict.fix ?? verdict.cause?.fix}</p>`} ${urls.some(([, u]) => u) && renderTemplate`<dl class="settings" data-astro-cid-ukw2v2lb> ${urls.filter(([, u]) => u).map(([name, url]) => renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<dt data-astro-cid-ukw2v2lb>${name}</dt><dd data-astro-cid-ukw2v2lb><code data-astro-cid-ukw2v2lb>${url}</code></dd>` })}`)} </dl>`} ${verdict.others.length > 0 && renderTemplate`<p class="others" data-astro-cid-ukw2v2lb>Also: ${verdict.others.map((f, i) => renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`${i > 0 && "; "}<a${addAttribute(`#finding-${f.code}`, "href")} data-astro-cid-ukw2v2lb>${f.title}</a>` })}`)}</p>`} ${report.failures.length > 0 && renderTemplate`<p class="others" data-astro-cid-ukw2v2lb><strong data-astro-cid-ukw2v2lb>The run did not finish normally:</strong> ${report.failures.map((f) => `${f.state}: ${f.error}${f.cause ? ` (${f.cause})` : ""}`).join("; ")}</p>`} </section>`;
}, "/work/main/site/src/components/VerdictBanner.astro", void 0);
// site/src/components/JourneyDiagram.astro
createAstro("https://astro.build");
var $$JourneyDiagram = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$JourneyDiagram;
	const { diagram, address } = Astro.props;
	return renderTemplate`${maybeRenderHead($$result)}<figure class="journey" data-astro-cid-3bi3fa6u> <div class="scroll" data-astro-cid-3bi3fa6u> <svg${addAttribute(`0 0 ${diagram.width} ${diagram.height}`, "viewBox")}${addAttribute(diagram.width, "width")}${addAttribute(diagram.height, "height")} role="img" aria-labelledby="journey-title journey-desc" data-journey data-astro-cid-3bi3fa6u> <title id="journey-title">Autodiscover journey for ${address}</title> <desc id="journey-desc" data-astro-cid-3bi3fa6u>${diagram.steps.join(" ")}</desc> <defs data-astro-cid-3bi3fa6u> ${[
		"ok",
		"fail",
		"warn",
		"info",
		"skip",
		"expected"
	].map((tone) => renderTemplate`<marker${addAttribute(`arrow-${tone}`, "id")} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" data-astro-cid-3bi3fa6u> <path d="M0,0 L10,5 L0,10 z"${addAttribute(`head head-${tone}`, "class")} data-astro-cid-3bi3fa6u></path> </marker>`)} </defs> ${diagram.edges.map((edge) => renderTemplate`<g${addAttribute(`edge edge-${edge.tone}`, "class")} data-astro-cid-3bi3fa6u> <path${addAttribute(edge.d, "d")}${addAttribute(`url(#arrow-${edge.tone})`, "marker-end")} data-astro-cid-3bi3fa6u></path> ${edge.label && renderTemplate`<text${addAttribute(edge.labelX, "x")}${addAttribute(edge.labelY, "y")} text-anchor="middle" data-astro-cid-3bi3fa6u>${edge.label}</text>`} </g>`)} ${diagram.nodes.map((node) => {
		const body = renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate` <title>${node.title}</title> <rect${addAttribute(node.x, "x")}${addAttribute(node.y, "y")}${addAttribute(node.w, "width")}${addAttribute(node.h, "height")} rx="6" data-astro-cid-3bi3fa6u></rect> <text${addAttribute(node.x + 10, "x")}${addAttribute(node.y + 18, "y")} class="label" data-astro-cid-3bi3fa6u>${node.label}</text> <text${addAttribute(node.x + 10, "x")}${addAttribute(node.y + 35, "y")} class="sub" data-astro-cid-3bi3fa6u>${node.sublabel}</text> ` })}`;
		return node.href ? renderTemplate`<a${addAttribute(node.href, "href")}${addAttribute(`node node-${node.tone}${node.check ? " node-check" : ""}`, "class")}${addAttribute(node.id, "data-node")} data-astro-cid-3bi3fa6u>${body}</a>` : renderTemplate`<g${addAttribute(`node node-${node.tone}`, "class")}${addAttribute(node.id, "data-node")} data-astro-cid-3bi3fa6u>${body}</g>`;
	})} </svg> </div> <figcaption data-astro-cid-3bi3fa6u> <span class="legend" data-astro-cid-3bi3fa6u><span class="key key-ok" data-astro-cid-3bi3fa6u></span>answered</span> <span class="legend" data-astro-cid-3bi3fa6u><span class="key key-fail" data-astro-cid-3bi3fa6u></span>failed</span> <span class="legend" data-astro-cid-3bi3fa6u><span class="key key-warn" data-astro-cid-3bi3fa6u></span>warning / error response</span> <span class="legend" data-astro-cid-3bi3fa6u><span class="key key-expected" data-astro-cid-3bi3fa6u></span>failed as expected for this topology</span> <span class="legend" data-astro-cid-3bi3fa6u><span class="key key-skip" data-astro-cid-3bi3fa6u></span>skipped</span> <span class="legend" data-astro-cid-3bi3fa6u><span class="key key-check" data-astro-cid-3bi3fa6u></span>cross-check (never the answer)</span> </figcaption> <details class="words" data-astro-cid-3bi3fa6u> <summary data-astro-cid-3bi3fa6u>The journey in words</summary> <ol data-astro-cid-3bi3fa6u>${diagram.steps.map((s) => renderTemplate`<li data-astro-cid-3bi3fa6u>${s.trim()}</li>`)}</ol> </details> </figure>`;
}, "/work/main/site/src/components/JourneyDiagram.astro", void 0);
// site/src/lib/anchors.ts
/** Ids inside a run page, shared by the tree, the diagram, the waterfall and the findings. */
var candidateId = (phase, candidate) => `p${phase}c${candidate}`;
var stepId = (phase, candidate, seq) => `p${phase}c${candidate}s${seq}`;
var certificateId = (host, fingerprint) => `cert-${host.replace(/[^A-Za-z0-9-]+/g, "_")}-${fingerprint.replace(/[^A-F0-9]/gi, "").slice(0, 12)}`;
/** What the candidate sources are to an admin. */
var SOURCE_LABEL = {
	scp: "SCP lookup (Active Directory)",
	"root-https": "Root domain over HTTPS",
	"autodiscover-https": "autodiscover. host over HTTPS",
	"http-redirect": "HTTP redirect method (port 80)",
	srv: "DNS SRV record",
	redirect: "Redirect target",
	"autodiscover-v2": "Autodiscover v2 cross-check",
	"returned-url": "Returned URL check"
};
/** The host of a candidate URL, or the text itself (SCP and SRV candidates are not URLs). */
function hostOf(url) {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
// site/src/lib/step-data.ts
/**
* A step's data as label/value pairs for the tree. Generic on purpose: every field the engine
* records is shown (a new field appears without touching the site); the HTTP exchange and the
* certificate chain have their own views and are left out here.
*/
var OWN_VIEW = /* @__PURE__ */ new Set(["exchange", "chain"]);
function dataRows(data) {
	if (!data || typeof data !== "object") return [];
	const rows = [];
	for (const [key, value] of Object.entries(data)) {
		if (OWN_VIEW.has(key) || value === void 0 || value === null || value === "") continue;
		if (Array.isArray(value) && value.length === 0) continue;
		const text = render(value);
		rows.push({
			label: labelOf(key),
			value: text,
			block: text.includes("\n") || text.length > 100
		});
	}
	return rows;
}
function render(value) {
	if (typeof value === "string") return value;
	if (typeof value === "number" || typeof value === "boolean") return String(value);
	if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.join(", ");
	return JSON.stringify(value, null, 2);
}
/** camelCase → "camel case"; short technical keys stay as they are. */
function labelOf(key) {
	return {
		a: "A",
		aaaa: "AAAA",
		cname: "CNAME",
		ms: "time (ms)",
		alpn: "ALPN",
		servername: "SNI name"
	}[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
// site/src/components/Exchange.astro
createAstro("https://astro.build");
var $$Exchange = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Exchange;
	const { exchange } = Astro.props;
	const request = [`${exchange.method} ${exchange.url}`, ...Object.entries(exchange.requestHeaders ?? {}).map(([k, v]) => `${k}: ${v}`)].join("\n");
	const response = [exchange.status === void 0 ? "no response" : `HTTP ${exchange.status}${exchange.statusText ? ` ${exchange.statusText}` : ""}`, ...(exchange.responseHeaders ?? []).map(([k, v]) => `${k}: ${v}`)].join("\n");
	const bodyNote = exchange.truncated ? ` (first part of ${exchange.bodyBytes} bytes)` : ` (${exchange.bodyBytes} bytes)`;
	return renderTemplate`${maybeRenderHead($$result)}<div class="exchange" data-astro-cid-nw6qgasw> <h4 data-astro-cid-nw6qgasw>Request <span class="muted" data-astro-cid-nw6qgasw>(${exchange.auth === "none" ? "anonymous" : `${exchange.auth} credentials, masked`})</span></h4> <pre data-astro-cid-nw6qgasw>${request}</pre> ${exchange.requestBody && renderTemplate`<pre data-astro-cid-nw6qgasw>${exchange.requestBody}</pre>`} <h4 data-astro-cid-nw6qgasw>Response</h4> <pre data-astro-cid-nw6qgasw>${response}</pre> ${exchange.bodyExcerpt ? renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<p class="muted" data-astro-cid-nw6qgasw>Body${bodyNote}</p><pre data-astro-cid-nw6qgasw>${exchange.bodyExcerpt}</pre>` })}` : renderTemplate`<p class="muted" data-astro-cid-nw6qgasw>Empty body${exchange.bodyBytes ? bodyNote : ""}.</p>`} </div>`;
}, "/work/main/site/src/components/Exchange.astro", void 0);
// site/src/components/StepTree.astro
createAstro("https://astro.build");
var $$StepTree = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$StepTree;
	const { phases } = Astro.props;
	const sorted = [...phases].sort((a, b) => a.index - b.index);
	const outcomeText = (phase) => {
		const o = phase.outcome;
		if (!o) return phase.state === "running" ? "did not finish (checkpoint)" : phase.state;
		if (o.kind === "settings") return `settings from ${o.url}`;
		if (o.kind === "redirectAddr") return `redirectAddr → ${o.address}`;
		return `${o.kind}: ${o.reason}`;
	};
	return renderTemplate`${maybeRenderHead($$result)}<div class="tools" data-tree-tools hidden data-astro-cid-i6fmuuj5> <button type="button" data-expand-all data-astro-cid-i6fmuuj5>Expand all</button> <button type="button" data-collapse-all data-astro-cid-i6fmuuj5>Collapse all</button> </div> <div class="tree" data-tree data-astro-cid-i6fmuuj5> ${sorted.map((phase) => renderTemplate`<section${addAttribute(`phase-${phase.index}`, "id")} class="phase"${addAttribute(`phase-${phase.index}-h`, "aria-labelledby")} data-astro-cid-i6fmuuj5> <h3${addAttribute(`phase-${phase.index}-h`, "id")} data-astro-cid-i6fmuuj5>Phase ${phase.index + 1} · ${ROLE[phase.role] ?? phase.role} · <span class="mono" data-astro-cid-i6fmuuj5>${phase.address}</span></h3> <p class="muted phase-meta" data-astro-cid-i6fmuuj5>${outcomeText(phase)} · ${duration(phase.durationMs)} · state ${phase.state}${phase.error ? ` · ${phase.error.name}: ${phase.error.message}` : ""}</p> ${phase.findings.length > 0 && renderTemplate`<ul class="phase-findings" data-astro-cid-i6fmuuj5>${phase.findings.map((f) => renderTemplate`<li data-astro-cid-i6fmuuj5><code data-astro-cid-i6fmuuj5>${f.code}</code> ${f.title}</li>`)}</ul>`} ${phase.candidates.map((candidate) => {
		const tone = candidateTone(candidate.status, candidate.expected);
		const open = tone === "ok" || tone === "fail" || tone === "warn";
		return renderTemplate`<details${addAttribute(candidateId(phase.index, candidate.index), "id")}${addAttribute(`candidate c-${tone}`, "class")}${addAttribute(open, "open")} data-astro-cid-i6fmuuj5> <summary data-astro-cid-i6fmuuj5> <span${addAttribute(`tone tone-${tone}`, "class")} data-astro-cid-i6fmuuj5>${CANDIDATE_STATUS[candidate.status] ?? candidate.status}${candidate.expected ? " · expected" : ""}</span> <span class="c-title" data-astro-cid-i6fmuuj5>${SOURCE_LABEL[candidate.source] ?? candidate.source}</span> <span class="mono c-url" data-astro-cid-i6fmuuj5>${candidate.url}</span> <span class="muted" data-astro-cid-i6fmuuj5>${duration(candidate.durationMs)}</span> <span class="c-summary" data-astro-cid-i6fmuuj5>${candidate.summary}</span> </summary> ${candidate.steps.length === 0 ? renderTemplate`<p class="muted none" data-astro-cid-i6fmuuj5>No steps ran.</p>` : renderTemplate`<ol class="steps" data-astro-cid-i6fmuuj5> ${candidate.steps.map((step) => {
			const badge = stepBadge(step.status, step.expected);
			const exchange = step.data.exchange;
			const chain = step.data.chain;
			const host = step.data.host ?? hostOf(candidate.url);
			const rows = dataRows(step.data);
			return renderTemplate`<li data-astro-cid-i6fmuuj5> <details${addAttribute(stepId(phase.index, candidate.index, step.seq), "id")} class="step"${addAttribute(badge.tone === "fail" || badge.tone === "warn", "open")} data-astro-cid-i6fmuuj5> <summary data-astro-cid-i6fmuuj5> <span${addAttribute(`icon icon-${badge.tone}`, "class")} aria-hidden="true" data-astro-cid-i6fmuuj5>${badge.icon}</span> <span class="visually-hidden" data-astro-cid-i6fmuuj5>${badge.label}:</span> <span class="s-title" data-astro-cid-i6fmuuj5>${step.title}</span> <span class="s-summary" data-astro-cid-i6fmuuj5>${step.summary}</span> ${step.expected && renderTemplate`<span class="tone tone-expected" data-astro-cid-i6fmuuj5>expected</span>`} <span class="muted s-ms" data-astro-cid-i6fmuuj5>${duration(step.durationMs)}</span> </summary> <div class="s-body" data-astro-cid-i6fmuuj5> ${step.findings.map((f) => renderTemplate`<div${addAttribute(`finding f-${f.expected ? "expected" : f.severity}`, "class")} data-astro-cid-i6fmuuj5> <p data-astro-cid-i6fmuuj5><code data-astro-cid-i6fmuuj5>${f.code}</code> <strong data-astro-cid-i6fmuuj5>${f.title}</strong>${f.expected && " (expected for this topology)"}</p> <p data-astro-cid-i6fmuuj5>${f.explanation}</p> ${f.fix && renderTemplate`<p data-astro-cid-i6fmuuj5><strong data-astro-cid-i6fmuuj5>Fix:</strong> ${f.fix}</p>`} </div>`)} ${exchange && renderTemplate`${renderComponent($$result, "Exchange", $$Exchange, {
				"exchange": exchange,
				"data-astro-cid-i6fmuuj5": true
			})}`} ${Array.isArray(chain) && chain.length > 0 && chain[0]?.fingerprint256 && renderTemplate`<p data-astro-cid-i6fmuuj5><a${addAttribute(`#${certificateId(host, chain[0].fingerprint256)}`, "href")} data-astro-cid-i6fmuuj5>Certificate chain (${chain.length}) ↓</a></p>`} ${rows.length > 0 && renderTemplate`<dl class="data" data-astro-cid-i6fmuuj5> ${rows.map((row) => renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<dt data-astro-cid-i6fmuuj5>${row.label}</dt><dd data-astro-cid-i6fmuuj5>${row.block ? renderTemplate`<pre data-astro-cid-i6fmuuj5>${row.value}</pre>` : renderTemplate`<span class="mono" data-astro-cid-i6fmuuj5>${row.value}</span>`}</dd>` })}`)} </dl>`} <p class="muted at" data-astro-cid-i6fmuuj5>Started ${step.startedAt} · ${step.kind}</p> </div> </details> </li>`;
		})} </ol>`} </details>`;
	})} </section>`)} </div> <script>
  // Progressive enhancement only: without JavaScript every <details> still opens on its own.
  for (const tools of document.querySelectorAll('[data-tree-tools]')) {
    const tree = tools.nextElementSibling;
    tools.hidden = false;
    const set = (open) => { for (const d of tree.querySelectorAll('details')) d.open = open; };
    tools.querySelector('[data-expand-all]').addEventListener('click', () => set(true));
    tools.querySelector('[data-collapse-all]').addEventListener('click', () => set(false));
  }
<\/script>`;
}, "/work/main/site/src/components/StepTree.astro", void 0);
// site/src/components/Waterfall.astro
createAstro("https://astro.build");
var $$Waterfall = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Waterfall;
	const { waterfall } = Astro.props;
	return renderTemplate`${maybeRenderHead($$result)}<table class="waterfall" data-astro-cid-h3r4rb2f> <caption class="visually-hidden" data-astro-cid-h3r4rb2f>Step timings per candidate, from the start of the run</caption> <thead data-astro-cid-h3r4rb2f> <tr data-astro-cid-h3r4rb2f> <th scope="col" data-astro-cid-h3r4rb2f>Candidate</th><th scope="col" data-astro-cid-h3r4rb2f>Start</th><th scope="col" data-astro-cid-h3r4rb2f>Took</th> <th scope="col" class="axis-h" data-astro-cid-h3r4rb2f><span class="visually-hidden" data-astro-cid-h3r4rb2f>Timeline</span> <div class="axis" aria-hidden="true" data-astro-cid-h3r4rb2f>${waterfall.ticks.map((t) => renderTemplate`<span${addAttribute(`left:${t.at.toFixed(2)}%`, "style")} data-astro-cid-h3r4rb2f>${duration(t.ms)}</span>`)}</div> </th> </tr> </thead> <tbody data-astro-cid-h3r4rb2f> ${waterfall.rows.map((row) => renderTemplate`<tr data-astro-cid-h3r4rb2f> <th scope="row" data-astro-cid-h3r4rb2f><a${addAttribute(row.href, "href")} data-astro-cid-h3r4rb2f>${row.label}</a></th> <td class="num" data-astro-cid-h3r4rb2f>+${duration(row.startMs)}</td> <td class="num" data-astro-cid-h3r4rb2f>${duration(row.durationMs)}</td> <td class="track-cell" data-astro-cid-h3r4rb2f> <div${addAttribute(`track track-${row.tone}`, "class")} aria-hidden="true" data-astro-cid-h3r4rb2f> ${row.segments.map((s) => renderTemplate`<a${addAttribute(s.href, "href")} tabindex="-1"${addAttribute(`seg seg-${s.layer}`, "class")}${addAttribute(`left:${s.left.toFixed(2)}%;width:${s.width.toFixed(2)}%`, "style")}${addAttribute(s.title, "title")} data-astro-cid-h3r4rb2f></a>`)} </div> </td> </tr>`)} </tbody> </table> <p class="legend muted" data-astro-cid-h3r4rb2f> <span data-astro-cid-h3r4rb2f><span class="swatch seg-dns" data-astro-cid-h3r4rb2f></span>DNS</span> <span data-astro-cid-h3r4rb2f><span class="swatch seg-tcp" data-astro-cid-h3r4rb2f></span>TCP</span> <span data-astro-cid-h3r4rb2f><span class="swatch seg-tls" data-astro-cid-h3r4rb2f></span>TLS</span> <span data-astro-cid-h3r4rb2f><span class="swatch seg-http" data-astro-cid-h3r4rb2f></span>HTTP</span> <span data-astro-cid-h3r4rb2f><span class="swatch seg-other" data-astro-cid-h3r4rb2f></span>other</span>
· total ${duration(waterfall.totalMs)} </p>`;
}, "/work/main/site/src/components/Waterfall.astro", void 0);
// site/src/lib/certificates.ts
function certificatesOf(phases) {
	const seen = /* @__PURE__ */ new Map();
	for (const phase of [...phases].sort((a, b) => a.index - b.index)) for (const candidate of phase.candidates) {
		const handshake = candidate.steps.find((s) => s.kind === "tls:handshake");
		const data = handshake?.data;
		if (!handshake || !data?.host || !Array.isArray(data.chain) || data.chain.length === 0) continue;
		const leaf = data.chain[0];
		const key = `${data.host}|${leaf.fingerprint256}`;
		const existing = seen.get(key);
		if (existing) {
			existing.seenAt.push(candidate.url);
			continue;
		}
		seen.set(key, {
			id: certificateId(data.host, leaf.fingerprint256 ?? ""),
			host: data.host,
			protocol: data.protocol,
			cipher: data.cipher,
			chain: data.chain,
			checks: candidate.steps.filter(isCertificateCheck).map((step) => {
				const badge = stepBadge(step.status, step.expected);
				return {
					title: step.title,
					summary: step.summary,
					tone: badge.tone,
					label: badge.label,
					href: `#${stepId(phase.index, candidate.index, step.seq)}`
				};
			}),
			seenAt: [candidate.url]
		});
	}
	return [...seen.values()];
}
function isCertificateCheck(step) {
	return step.kind === "tls:cert-name" || step.kind === "tls:cert-trust" || step.kind === "tls:cert-dates" || step.kind === "tls:client-cert";
}
/** Days from the run to the certificate's end (negative: expired). */
function daysLeft(notAfter, runAt) {
	const end = Date.parse(notAfter);
	const at = Date.parse(runAt);
	return Number.isFinite(end) && Number.isFinite(at) ? Math.floor((end - at) / 864e5) : void 0;
}
// site/src/components/Certificates.astro
createAstro("https://astro.build");
var $$Certificates = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Certificates;
	const { certificates, runAt } = Astro.props;
	return renderTemplate`${certificates.length === 0 ? renderTemplate`${maybeRenderHead($$result)}<p class="muted" data-astro-cid-wrpykb3m>No TLS handshake completed in this run.</p>` : certificates.map((cert) => renderTemplate`<section${addAttribute(cert.id, "id")} class="cert"${addAttribute(`Certificate of ${cert.host}`, "aria-label")} data-astro-cid-wrpykb3m> <h3 class="mono" data-astro-cid-wrpykb3m>${cert.host}</h3> <p class="muted" data-astro-cid-wrpykb3m>${[cert.protocol, cert.cipher].filter(Boolean).join(" · ")} · seen at ${cert.seenAt.join(", ")}</p> <ul class="checks" data-astro-cid-wrpykb3m> ${cert.checks.map((c) => renderTemplate`<li data-astro-cid-wrpykb3m><span${addAttribute(`tone tone-${c.tone}`, "class")} data-astro-cid-wrpykb3m>${c.label}</span> <a${addAttribute(c.href, "href")} data-astro-cid-wrpykb3m>${c.title}</a>: ${c.summary}</li>`)} </ul> ${cert.chain.map((c, i) => {
		const days = daysLeft(c.notAfter, runAt);
		return renderTemplate`<details${addAttribute(i === 0, "open")} data-astro-cid-wrpykb3m> <summary data-astro-cid-wrpykb3m>${i === 0 ? "Server certificate" : `Issuer ${i}`}: <span class="mono" data-astro-cid-wrpykb3m>${c.subject}</span></summary> <dl data-astro-cid-wrpykb3m> <dt data-astro-cid-wrpykb3m>Subject</dt><dd class="mono" data-astro-cid-wrpykb3m>${c.subject}</dd> <dt data-astro-cid-wrpykb3m>Issuer</dt><dd class="mono" data-astro-cid-wrpykb3m>${c.issuer}${c.selfSigned ? " (self-signed)" : ""}</dd> ${c.dnsNames.length > 0 && renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<dt data-astro-cid-wrpykb3m>Names (SAN)</dt><dd class="mono" data-astro-cid-wrpykb3m>${c.dnsNames.join(", ")}</dd>` })}`} ${c.ipAddresses.length > 0 && renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<dt data-astro-cid-wrpykb3m>IP addresses</dt><dd class="mono" data-astro-cid-wrpykb3m>${c.ipAddresses.join(", ")}</dd>` })}`} <dt data-astro-cid-wrpykb3m>Valid</dt><dd data-astro-cid-wrpykb3m>${c.notBefore} to ${c.notAfter}${days !== void 0 && (days < 0 ? ` (expired ${-days} days before the run)` : ` (${days} days left at the run)`)}</dd> ${c.keyType && renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate`<dt data-astro-cid-wrpykb3m>Key</dt><dd data-astro-cid-wrpykb3m>${c.keyType}${c.keyBits ? ` ${c.keyBits} bits` : ""}</dd>` })}`} <dt data-astro-cid-wrpykb3m>Serial</dt><dd class="mono" data-astro-cid-wrpykb3m>${c.serialNumber}</dd> <dt data-astro-cid-wrpykb3m>SHA-256</dt><dd class="mono fp" data-astro-cid-wrpykb3m>${c.fingerprint256}</dd> </dl> </details>`;
	})} </section>`)}`;
}, "/work/main/site/src/components/Certificates.astro", void 0);
// site/src/components/Findings.astro
createAstro("https://astro.build");
var $$Findings = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$Findings;
	const { findings } = Astro.props;
	const HEADINGS = {
		cause: "Cause",
		problem: "Other problems",
		note: "Notes",
		expected: "Expected for this topology"
	};
	const groups = [
		"cause",
		"problem",
		"note",
		"expected"
	].map((g) => ({
		group: g,
		items: findings.filter((f) => f.group === g)
	})).filter((g) => g.items.length > 0);
	const ids = /* @__PURE__ */ new Set();
	return renderTemplate`${findings.length === 0 ? renderTemplate`${maybeRenderHead($$result)}<p class="muted" data-astro-cid-glgpxtes>No findings.</p>` : groups.map(({ group, items }) => renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate` <h3 data-astro-cid-glgpxtes>${HEADINGS[group]} <span class="muted" data-astro-cid-glgpxtes>(${items.length})</span></h3> <ul class="findings" data-astro-cid-glgpxtes> ${items.map(({ finding, where, href }) => {
		const tone = finding.expected ? "expected" : finding.severity === "error" ? "fail" : finding.severity === "warning" ? "warn" : "info";
		const id = ids.has(finding.code) ? void 0 : (ids.add(finding.code), `finding-${finding.code}`);
		return renderTemplate`<li${addAttribute(id, "id")}${addAttribute(`f f-${tone}`, "class")} data-astro-cid-glgpxtes> <p data-astro-cid-glgpxtes><span${addAttribute(`tone tone-${tone}`, "class")} data-astro-cid-glgpxtes>${finding.expected ? "expected" : finding.severity}</span> <code data-astro-cid-glgpxtes>${finding.code}</code> <strong data-astro-cid-glgpxtes>${finding.title}</strong></p> <p data-astro-cid-glgpxtes>${finding.explanation}</p> ${finding.fix && renderTemplate`<p data-astro-cid-glgpxtes><strong data-astro-cid-glgpxtes>Fix:</strong> ${finding.fix}</p>`} <p class="muted where" data-astro-cid-glgpxtes>Raised at <a${addAttribute(href, "href")} data-astro-cid-glgpxtes>${where}</a></p> </li>`;
	})} </ul> ` })}`)}`;
}, "/work/main/site/src/components/Findings.astro", void 0);
// site/src/components/ClientsTable.astro
createAstro("https://astro.build");
var $$ClientsTable = createComponent(($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$ClientsTable;
	const { clients } = Astro.props;
	const LOOK = {
		yes: ["ok", "yes"],
		no: ["fail", "no"],
		unknown: ["skip", "unknown"]
	};
	return renderTemplate`${clients.length > 0 && renderTemplate`${maybeRenderHead($$result)}<table> <thead><tr><th scope="col">Client</th><th scope="col">Configures itself</th><th scope="col">Why</th></tr></thead> <tbody> ${clients.map((c) => {
		const [tone, word] = LOOK[c.verdict] ?? ["skip", c.verdict];
		return renderTemplate`<tr><td>${c.client}</td><td><span${addAttribute(`tone tone-${tone}`, "class")}>${word}</span></td><td>${c.reason}</td></tr>`;
	})} </tbody> </table>`}`;
}, "/work/main/site/src/components/ClientsTable.astro", void 0);
// site/src/lib/journey.ts
var PAD = 16;
var SIDE_W = 170;
var COL_W = 270;
var HEAD_H = 50;
var NODE_H = 44;
var LABEL_CHARS = 36;
function journeyDiagram(report, phases) {
	const nodes = [];
	const edges = [];
	const steps = [];
	const sorted = [...phases].sort((a, b) => a.index - b.index);
	const client = {
		id: "client",
		x: PAD,
		y: PAD,
		w: SIDE_W,
		h: HEAD_H,
		tone: "info",
		check: false,
		label: "Client",
		sublabel: clip(report.address, 24),
		title: `The client asks for ${report.address}`
	};
	nodes.push(client);
	steps.push(`The client starts Autodiscover for ${report.address}.`);
	let previous = client;
	let previousExit;
	let tallest = HEAD_H;
	let ending;
	sorted.forEach((phase, column) => {
		const x = 270 + column * 354;
		const outcome = phase.outcome?.kind ?? phase.state;
		const head = {
			id: `phase-${phase.index}`,
			x,
			y: PAD,
			w: COL_W,
			h: HEAD_H,
			tone: phase.outcome?.kind === "settings" || phase.outcome?.kind === "redirectAddr" ? "ok" : phase.state === "running" ? "skip" : "fail",
			check: false,
			label: `Phase ${phase.index + 1} · ${ROLE[phase.role] ?? phase.role}`,
			sublabel: clip(phase.address, LABEL_CHARS),
			title: `Phase ${phase.index + 1} (${ROLE[phase.role] ?? phase.role}) for ${phase.address}: ${outcome}`,
			href: `#phase-${phase.index}`
		};
		nodes.push(head);
		const from = previousExit ?? previous;
		edges.push(arrow(from, head, previousExit ? "ok" : "info", previousExit ? "redirectAddr" : void 0));
		steps.push(`Phase ${phase.index + 1} (${ROLE[phase.role] ?? phase.role}) for ${phase.address}: ${describeOutcome(phase)}.`);
		const byIndex = /* @__PURE__ */ new Map();
		phase.candidates.forEach((candidate, row) => {
			const tone = candidateTone(candidate.status, candidate.expected);
			const check = candidate.source === "autodiscover-v2" || candidate.source === "returned-url";
			const node = {
				id: candidateId(phase.index, candidate.index),
				x,
				y: 76 + row * 54,
				w: COL_W,
				h: NODE_H,
				tone,
				check,
				label: `${SOURCE_LABEL[candidate.source] ?? candidate.source}`,
				sublabel: clip(hostOf(candidate.url), LABEL_CHARS),
				title: `${candidate.url}: ${CANDIDATE_STATUS[candidate.status] ?? candidate.status}${candidate.expected ? " (expected)" : ""}. ${candidate.summary}`,
				href: `#${candidateId(phase.index, candidate.index)}`
			};
			nodes.push(node);
			byIndex.set(candidate.index, node);
			steps.push(`  ${SOURCE_LABEL[candidate.source] ?? candidate.source} ${candidate.url}: ${CANDIDATE_STATUS[candidate.status] ?? candidate.status}${candidate.expected ? " (expected for this topology)" : ""}; ${candidate.summary}`);
			tallest = Math.max(tallest, node.y + node.h - PAD);
		});
		for (const candidate of phase.candidates) {
			if (candidate.from === void 0) continue;
			const source = byIndex.get(candidate.from);
			const target = byIndex.get(candidate.index);
			if (!source || !target) continue;
			const hop = phase.redirects.find((r) => r.to === candidate.url);
			edges.push(loop(source, target, target.tone === "ok" ? "ok" : target.tone, hopLabel(hop)));
		}
		const exit = phase.candidates.find((c) => c.status === phase.outcome?.kind && (c.status === "settings" || c.status === "redirectAddr") && c.url === phase.outcome.url) ?? phase.candidates.find((c) => c.status === "redirectAddr" || c.status === "settings");
		previous = head;
		previousExit = exit ? byIndex.get(exit.index) : void 0;
		if (phase.outcome?.kind === "settings") ending = byIndex.get(exit?.index ?? -1) ?? head;
	});
	const x = 270 + sorted.length * 354;
	const found = report.verdict.status === "found";
	const ews = report.verdict.settings?.ewsUrl ?? report.verdict.settings?.activeSyncUrl;
	const end = {
		id: "end",
		x,
		y: PAD,
		w: SIDE_W,
		h: HEAD_H,
		tone: found ? "ok" : report.verdict.status === "incomplete" ? "warn" : "fail",
		check: false,
		label: found ? "Settings" : report.verdict.status === "incomplete" ? "Incomplete" : "No settings",
		sublabel: found ? clip(ews ? hostOf(ews) : "received", 24) : clip(report.verdict.cause?.code ?? "no answer", 24),
		title: report.verdict.headline,
		href: "#verdict"
	};
	nodes.push(end);
	edges.push(arrow(ending ?? previous, end, end.tone, void 0));
	steps.push(`Result: ${report.verdict.headline}`);
	return {
		width: x + SIDE_W + PAD,
		height: 32 + tallest,
		nodes,
		edges,
		steps
	};
}
function describeOutcome(phase) {
	const outcome = phase.outcome;
	if (!outcome) return phase.state === "running" ? "did not finish" : phase.state;
	switch (outcome.kind) {
		case "settings": return `settings from ${outcome.url}`;
		case "redirectAddr": return `redirectAddr to ${outcome.address} (from ${outcome.url})`;
		default: return `${outcome.kind}: ${outcome.reason}`;
	}
}
function hopLabel(hop) {
	if (!hop) return "redirect";
	return hop.kind === "http" ? "HTTP redirect" : hop.kind;
}
/** A curve from the right edge of `a` to the left edge of `b`. */
function arrow(a, b, tone, label) {
	const x1 = a.x + a.w;
	const y1 = a.y + a.h / 2;
	const x2 = b.x - 2;
	const y2 = b.y + b.h / 2;
	const mid = (x1 + x2) / 2;
	return {
		d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
		tone,
		label,
		labelX: mid,
		labelY: Math.min(y1, y2) + Math.abs(y2 - y1) / 2 - 6
	};
}
/** A loop out of the right edge of `a` into the right edge of `b` (same column). */
function loop(a, b, tone, label) {
	const x = a.x + a.w;
	const y1 = a.y + a.h / 2;
	const y2 = b.y + b.h / 2;
	const bulge = x + 40;
	return {
		d: `M${x},${y1} C${bulge},${y1} ${bulge},${y2} ${x + 2},${y2}`,
		tone,
		label,
		labelX: x + 34,
		labelY: (y1 + y2) / 2
	};
}
function clip(text, max) {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
// site/src/lib/waterfall.ts
function waterfall(report, phases) {
	const origin = Date.parse(report.startedAt);
	const ends = phases.flatMap((p) => p.candidates.flatMap((c) => c.steps)).map((s) => Date.parse(s.startedAt) - origin + (s.durationMs || 0)).filter(Number.isFinite);
	const finished = Date.parse(report.finishedAt) - origin;
	const totalMs = Math.max(1, Number.isFinite(finished) ? finished : 0, ...ends);
	const at = (ms) => Math.min(100, Math.max(0, ms / totalMs * 100));
	const rows = [];
	for (const phase of [...phases].sort((a, b) => a.index - b.index)) for (const candidate of phase.candidates) {
		if (candidate.steps.length === 0) continue;
		const starts = candidate.steps.map((s) => Date.parse(s.startedAt) - origin).filter(Number.isFinite);
		const start = starts.length ? Math.min(...starts) : 0;
		const end = Math.max(start, ...candidate.steps.map((s) => Date.parse(s.startedAt) - origin + (s.durationMs || 0)).filter(Number.isFinite));
		rows.push({
			label: `Phase ${phase.index + 1} · ${SOURCE_LABEL[candidate.source] ?? candidate.source} · ${hostOf(candidate.url)}`,
			href: `#${candidateId(phase.index, candidate.index)}`,
			tone: candidateTone(candidate.status, candidate.expected),
			startMs: start,
			durationMs: end - start,
			segments: candidate.steps.map((step) => {
				const offset = Date.parse(step.startedAt) - origin;
				return {
					left: at(Number.isFinite(offset) ? offset : start),
					width: at(step.durationMs || 0),
					layer: step.kind.split(":")[0] ?? "other",
					title: `${step.title}: ${Math.round(step.durationMs || 0)} ms`,
					href: `#${stepId(phase.index, candidate.index, step.seq)}`
				};
			})
		});
	}
	return {
		totalMs,
		rows,
		ticks: ticks(totalMs).map((ms) => ({
			ms,
			at: at(ms)
		}))
	};
}
/** Four or five round tick values across the axis. */
function ticks(total) {
	const raw = total / 4;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const step = [
		1,
		2,
		5,
		10
	].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
	const list = [];
	for (let ms = 0; ms <= total; ms += step) list.push(ms);
	return list;
}
// site/src/lib/findings.ts
function findingsOf(report, phases) {
	const placed = [];
	const seen = /* @__PURE__ */ new Set();
	const rankOf = (f) => {
		if (report.verdict.cause && same(f, report.verdict.cause)) return 0;
		const i = report.verdict.others.findIndex((o) => same(o, f));
		return i >= 0 ? i + 1 : Number.MAX_SAFE_INTEGER;
	};
	for (const phase of [...phases].sort((a, b) => a.index - b.index)) {
		for (const finding of phase.findings ?? []) push(finding, `Phase ${phase.index + 1}`, `#phase-${phase.index}`);
		for (const candidate of phase.candidates) for (const step of candidate.steps) for (const finding of step.findings ?? []) push(finding, `Phase ${phase.index + 1} · ${step.title}`, `#${stepId(phase.index, candidate.index, step.seq)}`);
	}
	function push(finding, where, href) {
		const key = `${finding.code}|${finding.title}`;
		if (seen.has(key)) return;
		seen.add(key);
		const group = report.verdict.cause && same(finding, report.verdict.cause) ? "cause" : finding.expected ? "expected" : finding.severity === "info" ? "note" : "problem";
		placed.push({
			finding,
			where,
			href,
			group
		});
	}
	const order = {
		cause: 0,
		problem: 1,
		note: 2,
		expected: 3
	};
	return placed.sort((a, b) => order[a.group] - order[b.group] || rankOf(a.finding) - rankOf(b.finding));
}
function same(a, b) {
	return a.code === b.code && a.title === b.title;
}
// site/src/pages/run/[runId].astro
var _runId__exports = /* @__PURE__ */ __exportAll({
	default: () => $$RunId,
	file: () => $$file,
	getStaticPaths: () => getStaticPaths,
	url: () => $$url
});
createAstro("https://astro.build");
async function getStaticPaths() {
	return (await allRuns()).map((run) => ({ params: { runId: run.runId } }));
}
var $$RunId = createComponent(async ($$result, $$props, $$slots) => {
	const Astro = $$result.createAstro($$props, $$slots);
	Astro.self = $$RunId;
	const root = "../";
	const { runId } = Astro.params;
	const { report, phases } = await loadRun(runId);
	const total = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
	return renderTemplate`${renderComponent($$result, "Page", $$Page, {
		"title": `${report.address} · ${report.verdict.status}`,
		"root": root,
		"description": report.verdict.headline,
		"data-astro-cid-eshb3257": true
	}, { "default": ($$result) => renderTemplate` ${maybeRenderHead($$result)}<nav aria-label="Breadcrumb" class="crumbs" data-astro-cid-eshb3257> <a${addAttribute(`${root}index.html`, "href")} data-astro-cid-eshb3257>Runs</a> ›
${report.domain ? renderTemplate`<a${addAttribute(domainHref(root, report.domain), "href")} data-astro-cid-eshb3257>${report.domain}</a>` : renderTemplate`<span data-astro-cid-eshb3257>no domain</span>`} ›
<span aria-current="page" data-astro-cid-eshb3257>${runId}</span> </nav> <h1 data-astro-cid-eshb3257>Autodiscover for <span class="mono" data-astro-cid-eshb3257>${report.address}</span></h1> <p class="meta muted" data-astro-cid-eshb3257>
Run <span class="mono" data-astro-cid-eshb3257>${runId}</span> · ${utc(report.startedAt)} · region ${report.region} · took ${duration(total)} ${report.group && renderTemplate`${renderComponent($$result, "Fragment", Fragment, {}, { "default": ($$result) => renderTemplate` · <a${addAttribute(groupHref(root, report.group), "href")} data-astro-cid-eshb3257>compare regions</a>` })}`} </p> ${renderComponent($$result, "VerdictBanner", $$VerdictBanner, {
		"report": report,
		"data-astro-cid-eshb3257": true
	})} <h2 id="journey" data-astro-cid-eshb3257>Journey</h2> ${renderComponent($$result, "JourneyDiagram", $$JourneyDiagram, {
		"diagram": journeyDiagram(report, phases),
		"address": report.address,
		"data-astro-cid-eshb3257": true
	})} <h2 id="clients" data-astro-cid-eshb3257>Clients</h2> ${renderComponent($$result, "ClientsTable", $$ClientsTable, {
		"clients": report.clients ?? [],
		"data-astro-cid-eshb3257": true
	})} <h2 id="steps" data-astro-cid-eshb3257>Steps</h2> ${renderComponent($$result, "StepTree", $$StepTree, {
		"phases": phases,
		"data-astro-cid-eshb3257": true
	})} <h2 id="timings" data-astro-cid-eshb3257>Timings</h2> ${renderComponent($$result, "Waterfall", $$Waterfall, {
		"waterfall": waterfall(report, phases),
		"data-astro-cid-eshb3257": true
	})} <h2 id="certificates" data-astro-cid-eshb3257>Certificates</h2> ${renderComponent($$result, "Certificates", $$Certificates, {
		"certificates": certificatesOf(phases),
		"runAt": report.startedAt,
		"data-astro-cid-eshb3257": true
	})} <h2 id="findings" data-astro-cid-eshb3257>Findings</h2> ${renderComponent($$result, "Findings", $$Findings, {
		"findings": findingsOf(report, phases),
		"data-astro-cid-eshb3257": true
	})} ` })}`;
}, "/work/main/site/src/pages/run/[runId].astro", void 0);
var $$file = "/work/main/site/src/pages/run/[runId].astro";
var $$url = "/run/[runId].html";
// \0virtual:astro:page:src/pages/run/[runId]@_@astro
var page = () => _runId__exports;
export { page };
