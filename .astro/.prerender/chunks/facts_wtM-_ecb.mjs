// packages/core/src/trace/facts.ts
/** Sections in reading order, with their headings. */
var FACT_SECTIONS = [
	{
		section: "verdict",
		heading: "Verdict"
	},
	{
		section: "dns",
		heading: "DNS answers"
	},
	{
		section: "certificates",
		heading: "Certificates"
	},
	{
		section: "redirects",
		heading: "Redirect chain"
	},
	{
		section: "candidates",
		heading: "Candidates"
	},
	{
		section: "steps",
		heading: "Step statuses"
	},
	{
		section: "settings",
		heading: "Settings"
	},
	{
		section: "findings",
		heading: "Findings"
	},
	{
		section: "clients",
		heading: "Clients"
	}
];
/** Every fact of a run, in section order, each subject once (the first occurrence wins). */
function runFacts(run) {
	const facts = [];
	const seen = /* @__PURE__ */ new Set();
	const add = (section, subject, value) => {
		const key = `${section}\u0000${subject}`;
		if (seen.has(key)) return;
		seen.add(key);
		facts.push({
			section,
			subject,
			value
		});
	};
	const { report } = run;
	const verdict = report.verdict;
	add("verdict", "Outcome", verdict.cause ? `${verdict.status}: ${verdict.cause.code}` : verdict.status);
	const phases = [...run.phases].sort((a, b) => a.index - b.index);
	for (const phase of phases) for (const candidate of phase.candidates) for (const step of candidate.steps) dnsAndCertificateFacts(step, add);
	for (const hop of report.chain ?? []) add("redirects", `Hop ${hop.hop}`, `${hop.kind} ${hop.from} → ${hop.to}${hop.accepted ? "" : " (refused)"}`);
	for (const phase of phases) {
		const where = `Phase ${phase.index + 1}`;
		for (const candidate of phase.candidates) {
			const name = `${where} · ${candidate.source} · ${candidate.url}`;
			add("candidates", name, candidate.status + (candidate.expected ? " (expected)" : ""));
			for (const step of candidate.steps) add("steps", `${name} · ${step.title}`, stepValue(step));
		}
	}
	const settings = verdict.settings;
	if (settings) {
		const named = [
			["EWS URL", settings.ewsUrl],
			["OAB URL", settings.oabUrl],
			["OWA URL", settings.owaUrl],
			["MAPI mail store", settings.mapiMailStoreUrl],
			["MAPI address book", settings.mapiAddressBookUrl],
			["ActiveSync URL", settings.activeSyncUrl],
			["AutoDiscoverSMTPAddress", settings.autoDiscoverSmtpAddress]
		];
		for (const [subject, value] of named) if (value) add("settings", subject, value);
	}
	for (const finding of allFindings(phases)) {
		if (finding.expected || finding.severity === "info") continue;
		const host = typeof finding.evidence?.host === "string" ? ` at ${finding.evidence.host}` : "";
		add("findings", `${finding.code}${host}`, finding.severity);
	}
	for (const client of report.clients ?? []) add("clients", client.client, client.verdict);
	return facts;
}
/** What changed from `before` to `after`, in section order. */
function compareRuns(before, after) {
	return factTable([before, after]).filter((row) => row.differs).map((row) => {
		const [was, now] = row.values;
		const kind = was === void 0 ? "added" : now === void 0 ? "removed" : "changed";
		return {
			section: row.section,
			subject: row.subject,
			kind,
			...was !== void 0 ? { before: was } : {},
			...now !== void 0 ? { after: now } : {}
		};
	});
}
/** Facts of several runs aligned by subject (rows in section order, then first appearance). */
function factTable(runs) {
	const rows = /* @__PURE__ */ new Map();
	runs.forEach((run, column) => {
		for (const fact of runFacts(run)) {
			const key = `${fact.section}\u0000${fact.subject}`;
			let row = rows.get(key);
			if (!row) rows.set(key, row = {
				section: fact.section,
				subject: fact.subject,
				values: new Array(runs.length).fill(void 0),
				differs: false
			});
			row.values[column] = fact.value;
		}
	});
	const order = new Map(FACT_SECTIONS.map((s, i) => [s.section, i]));
	const list = [...rows.values()];
	for (const row of list) row.differs = row.values.some((value) => value !== row.values[0]);
	return list.sort((a, b) => (order.get(a.section) ?? 0) - (order.get(b.section) ?? 0));
}
function dnsAndCertificateFacts(step, add) {
	const data = step.data ?? {};
	if (step.kind === "dns:resolve" && typeof data.host === "string") {
		if (data.outcome !== "ok") return add("dns", data.host, String(data.outcome ?? step.status));
		const parts = [];
		const cname = strings(data.cname);
		if (cname.length) parts.push(`CNAME ${cname.join(" → ")}`);
		const a = strings(data.a).sort();
		const aaaa = strings(data.aaaa).sort();
		if (a.length) parts.push(`A ${a.join(", ")}`);
		if (aaaa.length) parts.push(`AAAA ${aaaa.join(", ")}`);
		return add("dns", data.host, parts.join("; ") || "no addresses");
	}
	if (step.kind === "dns:srv" && typeof data.name === "string") {
		const records = Array.isArray(data.records) ? data.records : [];
		const value = records.length ? records.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.target}`).sort().join(", ") : String(data.outcome ?? step.status);
		return add("dns", `SRV ${data.name}`, value);
	}
	if (step.kind === "tls:handshake" && typeof data.host === "string" && Array.isArray(data.chain) && data.chain.length > 0) {
		const leaf = data.chain[0];
		const names = leaf.dnsNames?.length ? ` · SAN ${leaf.dnsNames.join(", ")}` : "";
		const until = leaf.notAfter ? ` · until ${leaf.notAfter.slice(0, 10)}` : "";
		const print = leaf.fingerprint256 ? ` · SHA-256 ${leaf.fingerprint256.slice(0, 23)}…` : "";
		add("certificates", data.host, `${leaf.subject ?? "?"} (issuer ${leaf.issuer ?? "?"})${names}${until}${print}`);
	}
}
/** A step's comparable outcome: its status, and the HTTP status for requests. */
function stepValue(step) {
	const exchange = step.data?.exchange;
	const http = exchange?.status !== void 0 ? ` · HTTP ${exchange.status}` : "";
	return `${step.status}${step.expected ? " (expected)" : ""}${http}`;
}
function allFindings(phases) {
	const found = [];
	for (const phase of phases) {
		found.push(...phase.findings ?? []);
		for (const candidate of phase.candidates) for (const step of candidate.steps) found.push(...step.findings ?? []);
	}
	return found;
}
function strings(value) {
	return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}
export { compareRuns as n, factTable as r, FACT_SECTIONS as t };
