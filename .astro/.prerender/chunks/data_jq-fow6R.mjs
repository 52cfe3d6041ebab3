import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm } from "node:fs/promises";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
// \0rolldown/runtime.js
var __defProp = Object.defineProperty;
var __exportAll = (all, flags) => {
	let target = Object.setPrototypeOf({}, null);
	for (var name in all) __defProp(target, name, {
		get: all[name],
		enumerable: true
	});
	if (!(flags & 1)) __defProp(target, Symbol.toStringTag, { value: "Module" });
	return flags & 2 ? target : Object.preventExtensions(target);
};
// packages/core/src/errors.ts
/**
* The error family. Every class has a stable `name` (Step Functions Retry/Catch match on it) and
* `code` (the trace and the site match on it; instanceof does not survive JSON).
*/
var DiscotraceError = class extends Error {
	code;
	constructor(code, message, options) {
		super(message, options);
		this.name = "DiscotraceError";
		this.code = code;
	}
};
// packages/core/src/store/errors.ts
/**
* Store failures. Callers (CLI, Lambda, site build) match on `code`, never on the message; the
* message is one line for a person and always names the path, bucket or key involved.
*/
/** Part of the DiscotraceError family, so a CLI or handler can treat every failure alike. */
var StoreError = class extends DiscotraceError {
	constructor(code, message, options) {
		super(code, message, options);
		this.name = "StoreError";
	}
};
// packages/core/src/store/keys.ts
/**
* The syntax of a store key (the layout lives in trace-store.ts). Keys are '/'-separated segments
* of [A-Za-z0-9._@+=-], so the same key is a safe relative path on disk and a plain S3 key: no
* '..', no absolute paths, no backslashes, nothing a URL or a shell would reinterpret.
*/
var SEGMENT = /^[A-Za-z0-9._@+=-]+$/;
/** Why a key is invalid, or undefined when it is fine. */
function keyProblem(key) {
	if (typeof key !== "string") return "a key must be a string";
	if (key === "") return "a key must not be empty";
	if (key.includes("\\")) return "backslashes are not allowed";
	if (key.startsWith("/")) return "absolute keys are not allowed";
	for (const segment of key.split("/")) {
		if (segment === "") return "empty segments (\"//\" or a trailing \"/\") are not allowed";
		if (segment === "." || segment === "..") return `"${segment}" segments are not allowed`;
		if (!SEGMENT.test(segment)) return `segment "${segment}" has characters outside [A-Za-z0-9._@+=-]`;
	}
}
function isValidKey(key) {
	return keyProblem(key) === void 0;
}
function isValidSegment(segment) {
	return segment !== "." && segment !== ".." && SEGMENT.test(segment);
}
function assertValidKey(key) {
	const problem = keyProblem(key);
	if (problem) throw new StoreError("STORE_BAD_KEY", `invalid store key ${JSON.stringify(key)}: ${problem}`);
}
/**
* A list prefix is '' (everything), or a key, or a key followed by '/'. It may end in the middle
* of a segment ("runs/2026"), like an S3 prefix.
*/
function assertValidPrefix(prefix) {
	if (prefix === "") return;
	const problem = keyProblem(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
	if (problem) throw new StoreError("STORE_BAD_KEY", `invalid store prefix ${JSON.stringify(prefix)}: ${problem}`);
}
/** Ascending key order: code-unit order, which for key characters is S3's (UTF-8 binary) order. */
function compareKeys(a, b) {
	return a < b ? -1 : a > b ? 1 : 0;
}
// packages/core/src/store/local-directory.ts
/**
* A BlobStore in a local directory: the embedded default of the CLI and the local pipeline.
* A key maps to a relative path under the root. Writes go to a temp file beside the target and are
* renamed over it, so a reader (or a crash) sees the old document or the new one, never half.
*/
var LocalDirectoryStore = class {
	/** Absolute path of the root directory (created on the first write). */
	root;
	location;
	constructor(root) {
		if (typeof root !== "string" || root.trim() === "") throw new StoreError("STORE_CONFIG", "a local trace store needs a directory path");
		this.root = path.resolve(root);
		this.location = `directory ${this.root}`;
	}
	/** The file a key is stored in. */
	pathFor(key) {
		assertValidKey(key);
		return path.join(this.root, ...key.split("/"));
	}
	async put(key, body) {
		const file = this.pathFor(key);
		const dir = path.dirname(file);
		const temp = path.join(dir, `${path.basename(file)}~${randomBytes(6).toString("hex")}.tmp`);
		let handle;
		try {
			await mkdir(dir, { recursive: true });
			handle = await open(temp, "wx", 420);
			await handle.writeFile(body, "utf8");
			await handle.sync();
			await handle.close();
			handle = void 0;
			await rename(temp, file);
		} catch (error) {
			await handle?.close().catch(() => {});
			await rm(temp, { force: true }).catch(() => {});
			throw fsError("write", file, error);
		}
		await syncDirectory(dir);
	}
	async get(key) {
		const file = this.pathFor(key);
		try {
			return await readFile(file, "utf8");
		} catch (error) {
			if (isMissing(error) || errnoCode(error) === "EISDIR") return void 0;
			throw fsError("read", file, error);
		}
	}
	async list(prefix) {
		assertValidPrefix(prefix);
		const cut = prefix.lastIndexOf("/") + 1;
		const dirKey = prefix.slice(0, cut);
		const keys = [];
		await this.walk(dirKey, prefix.slice(cut), keys);
		return keys.sort(compareKeys);
	}
	async walk(dirKey, namePrefix, into) {
		const dir = path.join(this.root, ...dirKey.split("/").filter(Boolean));
		let entries;
		try {
			entries = await readdir(dir, { withFileTypes: true });
		} catch (error) {
			if (isMissing(error)) return;
			throw fsError("list", dir, error);
		}
		for (const entry of entries) {
			if (!entry.name.startsWith(namePrefix) || !isValidSegment(entry.name)) continue;
			const key = dirKey + entry.name;
			if (entry.isDirectory()) await this.walk(`${key}/`, "", into);
			else if (entry.isFile()) into.push(key);
		}
	}
};
var FS_CODES = {
	ENOSPC: {
		code: "STORE_NO_SPACE",
		text: "no space left on device"
	},
	EDQUOT: {
		code: "STORE_NO_SPACE",
		text: "disk quota exceeded"
	},
	EACCES: {
		code: "STORE_PERMISSION",
		text: "permission denied"
	},
	EPERM: {
		code: "STORE_PERMISSION",
		text: "operation not permitted"
	},
	EROFS: {
		code: "STORE_PERMISSION",
		text: "read-only file system"
	},
	ENOTDIR: {
		code: "STORE_IO",
		text: "a parent of this path is not a directory"
	},
	EISDIR: {
		code: "STORE_IO",
		text: "a directory is in the way"
	},
	ENOTEMPTY: {
		code: "STORE_IO",
		text: "a directory is in the way"
	},
	EEXIST: {
		code: "STORE_IO",
		text: "a file is in the way"
	},
	EIO: {
		code: "STORE_IO",
		text: "input/output error"
	}
};
/** One line naming the operation, the path and the errno: "cannot write /x/y.json: permission denied (EACCES)". */
function fsError(operation, file, error) {
	const errno = errnoCode(error);
	const known = errno ? FS_CODES[errno] : void 0;
	const text = known?.text ?? (errno ? "file system error" : error instanceof Error ? error.message : String(error));
	const suffix = errno ? ` (${errno})` : "";
	return new StoreError(known?.code ?? "STORE_IO", `cannot ${operation} ${file}: ${text}${suffix}`, { cause: error });
}
function errnoCode(error) {
	const code = error?.code;
	return typeof code === "string" ? code : void 0;
}
function isMissing(error) {
	const code = errnoCode(error);
	return code === "ENOENT" || code === "ENOTDIR";
}
/** Make the rename itself durable. Best effort: some file systems cannot fsync a directory. */
async function syncDirectory(dir) {
	let handle;
	try {
		handle = await open(dir, "r");
		await handle.sync();
	} catch {} finally {
		await handle?.close().catch(() => {});
	}
}
// packages/core/src/store/s3.ts
/**
* A BlobStore in an S3 bucket (AWS in the cloud; s3rver or MinIO through `endpoint`). Keys live
* under an optional prefix, so one bucket can hold several stores.
*/
var BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
var S3Store = class {
	bucket;
	/** '' or a prefix ending in '/'. */
	prefix;
	location;
	endpoint;
	client;
	pageSize;
	constructor(options) {
		const { bucket, endpoint } = options;
		if (typeof bucket !== "string" || !BUCKET_NAME.test(bucket)) throw new StoreError("STORE_CONFIG", `invalid S3 bucket name ${JSON.stringify(bucket)} (3–63 characters: a-z, 0-9, '.', '-')`);
		const prefix = normalisePrefix(options.prefix ?? "");
		const pageSize = options.pageSize ?? 1e3;
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1e3) throw new StoreError("STORE_CONFIG", `S3 pageSize must be an integer from 1 to 1000, got ${pageSize}`);
		if (endpoint !== void 0 && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new StoreError("STORE_CONFIG", `invalid S3 endpoint ${JSON.stringify(endpoint)} (expected http(s)://host[:port])`);
		this.bucket = bucket;
		this.prefix = prefix;
		this.endpoint = endpoint;
		this.pageSize = pageSize;
		this.location = `s3://${bucket}/${prefix}`.replace(/\/$/, "");
		this.client = new S3Client({
			region: options.region ?? (endpoint ? "us-east-1" : void 0),
			endpoint,
			forcePathStyle: options.forcePathStyle ?? endpoint !== void 0,
			followRegionRedirects: endpoint === void 0,
			credentials: options.credentials,
			maxAttempts: options.maxAttempts,
			...endpoint ? {
				requestChecksumCalculation: "WHEN_REQUIRED",
				responseChecksumValidation: "WHEN_REQUIRED"
			} : {},
			requestHandler: {
				connectionTimeout: options.connectTimeoutMs ?? 5e3,
				requestTimeout: options.requestTimeoutMs ?? 3e4,
				throwOnRequestTimeout: true
			}
		});
	}
	async put(key, body) {
		assertValidKey(key);
		try {
			await this.client.send(new PutObjectCommand({
				Bucket: this.bucket,
				Key: this.prefix + key,
				Body: body,
				ContentLength: Buffer.byteLength(body, "utf8"),
				ContentType: "application/json"
			}));
		} catch (error) {
			throw this.error("write", key, error);
		}
	}
	async get(key) {
		assertValidKey(key);
		try {
			return await (await this.client.send(new GetObjectCommand({
				Bucket: this.bucket,
				Key: this.prefix + key
			}))).Body?.transformToString("utf-8") ?? "";
		} catch (error) {
			if (errorName(error) === "NoSuchKey") return void 0;
			throw this.error("read", key, error);
		}
	}
	async list(prefix) {
		assertValidPrefix(prefix);
		const keys = [];
		let token;
		try {
			do {
				const page = await this.client.send(new ListObjectsV2Command({
					Bucket: this.bucket,
					Prefix: this.prefix + prefix,
					MaxKeys: this.pageSize,
					ContinuationToken: token
				}));
				for (const object of page.Contents ?? []) {
					const key = object.Key?.slice(this.prefix.length);
					if (isValidKey(key)) keys.push(key);
				}
				token = page.IsTruncated ? page.NextContinuationToken : void 0;
			} while (token);
		} catch (error) {
			throw this.error("list", prefix, error);
		}
		return keys.sort(compareKeys);
	}
	/** Release the client's sockets (tests, short-lived CLIs). */
	close() {
		this.client.destroy();
	}
	error(operation, key, error) {
		const target = `s3://${this.bucket}/${this.prefix}${key}`;
		const name = errorName(error);
		const status = error?.$metadata?.httpStatusCode;
		const detail = error instanceof Error ? error.message : String(error);
		if (name === "NoSuchBucket") return new StoreError("STORE_NOT_FOUND_BUCKET", `cannot ${operation} ${target}: bucket "${this.bucket}" does not exist`, { cause: error });
		if (ACCESS_DENIED.has(name) || status === 403) return new StoreError("STORE_ACCESS_DENIED", `cannot ${operation} ${target}: access to bucket "${this.bucket}" denied (${name})`, { cause: error });
		if (UNREACHABLE.has(name)) return new StoreError("STORE_UNREACHABLE", `cannot ${operation} ${target}: ${this.endpoint ?? "S3"} unreachable for bucket "${this.bucket}" (${name || detail})`, { cause: error });
		const what = [name, status ? `HTTP ${status}` : ""].filter(Boolean).join(", ");
		return new StoreError("STORE_IO", `cannot ${operation} ${target}: ${firstLine(detail)}${what ? ` (${what})` : ""}`, { cause: error });
	}
};
var ACCESS_DENIED = /* @__PURE__ */ new Set([
	"AccessDenied",
	"InvalidAccessKeyId",
	"SignatureDoesNotMatch",
	"ExpiredToken",
	"InvalidToken",
	"CredentialsProviderError"
]);
var UNREACHABLE = /* @__PURE__ */ new Set([
	"ECONNREFUSED",
	"ECONNRESET",
	"EHOSTUNREACH",
	"ENETUNREACH",
	"ENOTFOUND",
	"EAI_AGAIN",
	"ETIMEDOUT",
	"EPIPE",
	"TimeoutError",
	"RequestTimeout"
]);
/** The S3 error code (SDK `name`) or the Node errno code of a network failure. */
function errorName(error) {
	const e = error;
	if (typeof e?.code === "string" && UNREACHABLE.has(e.code)) return e.code;
	if (Array.isArray(e?.errors) && e.errors.length > 0) return errorName(e.errors[0]);
	if (typeof e?.name === "string" && e.name !== "Error") return e.name;
	return typeof e?.code === "string" ? e.code : "";
}
function firstLine(text) {
	return text.split("\n", 1)[0] ?? "";
}
function normalisePrefix(prefix) {
	if (prefix === "" || prefix === "/") return "";
	const trimmed = prefix.replace(/^\/+|\/+$/g, "");
	try {
		assertValidKey(trimmed);
	} catch {
		throw new StoreError("STORE_CONFIG", `invalid S3 key prefix ${JSON.stringify(prefix)} (segments of [A-Za-z0-9._@+=-])`);
	}
	return `${trimmed}/`;
}
// packages/core/src/store/trace-store.ts
var RUN_ID = /^\d{8}T\d{6}Z-[A-Z2-7]{8}$/;
var DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
var PHASE_FILE = /^phase-(0|[1-9]\d*)\.json$/;
var REPORT_KEY = /^runs\/([^/]+)\/report\.json$/;
/** Documents read at once by the list methods (keeps a local store below the open-file limit). */
var READ_CONCURRENCY = 16;
function isRunId(value) {
	return typeof value === "string" && RUN_ID.test(value);
}
function keyForPhase(runId, index) {
	return `${runPrefix(runId)}phase-${checkIndex(index)}.json`;
}
function keyForReport(runId) {
	return `${runPrefix(runId)}report.json`;
}
function keyForDomainIndex(domain, startedAt, runId) {
	const time = new Date(startedAt);
	if (typeof startedAt !== "string" || Number.isNaN(time.getTime())) throw new StoreError("STORE_BAD_DOCUMENT", `run ${runId}: startedAt ${JSON.stringify(startedAt)} is not a date`);
	return `${domainPrefix(domain)}${compactTime(time, true)}-${checkRunId(runId)}.json`;
}
var TraceStore = class {
	blobs;
	constructor(blobs) {
		this.blobs = blobs;
	}
	/** Where the traces live, for messages: "directory /abs/path" or "s3://bucket/prefix". */
	get location() {
		return this.blobs.location;
	}
	keyForPhase(runId, index) {
		return keyForPhase(runId, index);
	}
	keyForReport(runId) {
		return keyForReport(runId);
	}
	keyForDomainIndex(domain, startedAt, runId) {
		return keyForDomainIndex(domain, startedAt, runId);
	}
	async putPhase(trace) {
		checkVersion(trace, "phase trace");
		const key = keyForPhase(trace.runId, trace.index);
		await this.blobs.put(key, serialise(trace));
		return key;
	}
	async getPhase(runId, index) {
		const key = keyForPhase(runId, index);
		const text = await this.blobs.get(key);
		return text === void 0 ? void 0 : this.parsePhase(key, text, runId, index);
	}
	/** Every stored phase of a run, in phase order (none: an empty list). */
	async listPhases(runId) {
		const prefix = runPrefix(runId);
		return (await mapLimit((await this.blobs.list(prefix)).map((key) => PHASE_FILE.exec(key.slice(prefix.length))?.[1]).filter((index) => index !== void 0).map(Number).sort((a, b) => a - b), (index) => this.getPhase(runId, index))).filter((phase) => phase !== void 0);
	}
	/**
	* Writes the report, then its domain index entry (so an entry never points at nothing). A report
	* without a domain (the address could not be parsed) is kept, but has no domain to be indexed by.
	*/
	async putReport(report) {
		checkVersion(report, "run report");
		const key = keyForReport(report.runId);
		const entry = indexEntryFor(report, key);
		const entryKey = entry.domain === "" ? void 0 : keyForDomainIndex(entry.domain, report.startedAt, report.runId);
		await this.blobs.put(key, serialise(report));
		if (entryKey) await this.blobs.put(entryKey, serialise(entry));
		return key;
	}
	async getReport(runId) {
		const key = keyForReport(runId);
		const text = await this.blobs.get(key);
		return text === void 0 ? void 0 : this.parseReport(key, text, runId);
	}
	/** Runs newest first: one domain's (from its index) or all (from the reports under runs/). */
	async listRuns(options = {}) {
		const { domain, limit, onBadDocument } = options;
		const tolerant = (read) => async () => {
			try {
				return await read();
			} catch (error) {
				if (onBadDocument && error instanceof StoreError && error.code === "STORE_BAD_DOCUMENT") {
					onBadDocument(error);
					return;
				}
				throw error;
			}
		};
		if (limit !== void 0 && (!Number.isInteger(limit) || limit < 1)) throw new RangeError(`listRuns: limit must be a positive integer, got ${limit}`);
		if (domain !== void 0) return (await mapLimit((await this.blobs.list(domainPrefix(domain))).filter((key) => key.endsWith(".json")).reverse().slice(0, limit), (key) => tolerant(async () => {
			const text = await this.blobs.get(key);
			return text === void 0 ? void 0 : this.parseIndexEntry(key, text);
		})())).filter((entry) => entry !== void 0);
		return (await mapLimit((await this.blobs.list("runs/")).map((key) => REPORT_KEY.exec(key)?.[1]).filter((runId) => isRunId(runId)).reverse().slice(0, limit), (runId) => tolerant(async () => {
			const report = await this.getReport(runId);
			return report && indexEntryFor(report, keyForReport(runId));
		})())).filter((entry) => entry !== void 0);
	}
	parsePhase(key, text, runId, index) {
		const doc = this.parse(key, text);
		if (doc.runId !== runId || doc.index !== index) throw this.bad(key, `holds run ${JSON.stringify(doc.runId)} phase ${JSON.stringify(doc.index)}`);
		if (!Array.isArray(doc.candidates)) throw this.bad(key, "is not a phase trace (no candidates)");
		return doc;
	}
	parseReport(key, text, runId) {
		const doc = this.parse(key, text);
		if (doc.runId !== runId) throw this.bad(key, `holds run ${JSON.stringify(doc.runId)}`);
		if (!Array.isArray(doc.phases) || typeof doc.verdict !== "object" || doc.verdict === null) throw this.bad(key, "is not a run report (no phases or verdict)");
		return doc;
	}
	parseIndexEntry(key, text) {
		const doc = this.parse(key, text);
		if (!isRunId(doc.runId) || typeof doc.reportKey !== "string") throw this.bad(key, "is not a run index entry (no runId or reportKey)");
		return doc;
	}
	/** JSON of this trace version, or STORE_BAD_DOCUMENT naming the key (never a SyntaxError). */
	parse(key, text) {
		let doc;
		try {
			doc = JSON.parse(text);
		} catch (error) {
			throw this.bad(key, `is not valid JSON (${error.message})`, error);
		}
		if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw this.bad(key, "is not a JSON object");
		const version = doc.version;
		if (version !== 1) throw this.bad(key, `has trace version ${JSON.stringify(version)}; this discotrace reads version 1`);
		return doc;
	}
	bad(key, problem, cause) {
		return new StoreError("STORE_BAD_DOCUMENT", `${key} in ${this.location} ${problem}`, { cause });
	}
};
function indexEntryFor(report, reportKey) {
	return {
		version: 1,
		runId: report.runId,
		address: report.address,
		domain: typeof report.domain === "string" ? report.domain.toLowerCase() : "",
		region: report.region,
		...isRunId(report.group) ? { group: report.group } : {},
		startedAt: report.startedAt,
		verdict: report.verdict.status,
		headline: report.verdict.headline,
		reportKey
	};
}
function checkVersion(doc, what) {
	if (typeof doc !== "object" || doc === null) throw new StoreError("STORE_BAD_DOCUMENT", `cannot store a ${what}: not an object`);
	if (doc.version !== 1) throw new StoreError("STORE_BAD_DOCUMENT", `cannot store a ${what} of version ${JSON.stringify(doc.version)}; this discotrace writes version 1`);
}
function runPrefix(runId) {
	return `runs/${checkRunId(runId)}/`;
}
function domainPrefix(domain) {
	const lower = typeof domain === "string" ? domain.toLowerCase() : "";
	if (!DOMAIN.test(lower)) throw new StoreError("STORE_BAD_KEY", `invalid domain ${JSON.stringify(domain)} for the run index`);
	return `domains/${lower}/`;
}
function checkRunId(runId) {
	if (!isRunId(runId)) throw new StoreError("STORE_BAD_KEY", `invalid run id ${JSON.stringify(runId)} (expected e.g. 20261203T170512Z-ABCDEFGH)`);
	return runId;
}
function checkIndex(index) {
	if (!Number.isSafeInteger(index) || index < 0) throw new StoreError("STORE_BAD_KEY", `invalid phase index ${JSON.stringify(index)} (expected an integer ≥ 0)`);
	return index;
}
/** ISO 8601 basic format in UTC: 20261203T170512Z, or 20261203T170512.345Z with milliseconds. */
function compactTime(time, milliseconds) {
	const iso = time.toISOString().replace(/[-:]/g, "");
	return milliseconds ? iso : iso.replace(/\.\d{3}Z$/, "Z");
}
function serialise(doc) {
	return `${JSON.stringify(doc, null, 2)}\n`;
}
/** Promise.all over `items` with at most READ_CONCURRENCY calls in flight; results in order. */
async function mapLimit(items, fn) {
	const results = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
	return results;
}
// packages/core/src/store/config.ts
/**
* Which store a process uses, chosen by configuration alone (design: local and deployed share
* everything but the edges). In order:
*   1. DISCOTRACE_STORE=s3://bucket/prefix or file:///abs/path: an explicit choice always wins;
*   2. a bucket passed by the caller (the deployed Lambda passes Resource.TraceBucket.name);
*   3. a local directory: DISCOTRACE_STORE_DIR, else .discotrace/traces under the working directory.
* For S3: DISCOTRACE_S3_ENDPOINT (s3rver, MinIO), AWS_REGION / AWS_DEFAULT_REGION, and
* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when set in `env` (otherwise the
* SDK's own credential chain, e.g. the Lambda role).
*/
/** The embedded default, relative to the working directory. */
var DEFAULT_STORE_DIR = path.join(".discotrace", "traces");
function storeFromConfig(env, defaults = {}) {
	const cwd = defaults.cwd ?? process.cwd();
	const selected = nonEmpty(env.DISCOTRACE_STORE);
	const bucket = nonEmpty(defaults.bucket);
	let blobs;
	if (selected !== void 0) blobs = fromUrl(selected, env, defaults, cwd);
	else if (bucket !== void 0) blobs = s3Store(env, defaults, {
		bucket,
		prefix: defaults.prefix
	});
	else blobs = new LocalDirectoryStore(path.resolve(cwd, nonEmpty(env.DISCOTRACE_STORE_DIR) ?? DEFAULT_STORE_DIR));
	const store = new TraceStore(blobs);
	return {
		store,
		location: store.location
	};
}
function fromUrl(value, env, defaults, cwd) {
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
	if (scheme === "s3") {
		const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(value);
		if (!match) throw configError(value, "expected s3://bucket or s3://bucket/prefix");
		return s3Store(env, defaults, {
			bucket: match[1],
			prefix: match[2] ?? ""
		});
	}
	if (scheme === "file") {
		let dir;
		try {
			dir = fileURLToPath(value);
		} catch {
			throw configError(value, "expected file:///absolute/path");
		}
		return new LocalDirectoryStore(path.resolve(cwd, dir));
	}
	throw configError(value, scheme ? `unsupported scheme "${scheme}:" (use s3://bucket/prefix or file:///path)` : "expected s3://bucket/prefix or file:///path (for a plain directory set DISCOTRACE_STORE_DIR)");
}
function s3Store(env, defaults, target) {
	const options = {
		...target,
		region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? defaults.region,
		endpoint: nonEmpty(env.DISCOTRACE_S3_ENDPOINT)
	};
	const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
	const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
	if (accessKeyId && secretAccessKey) options.credentials = {
		accessKeyId,
		secretAccessKey,
		sessionToken: nonEmpty(env.AWS_SESSION_TOKEN)
	};
	return new S3Store(options);
}
function configError(value, problem) {
	return new StoreError("STORE_CONFIG", `DISCOTRACE_STORE=${JSON.stringify(value)}: ${problem}`);
}
function nonEmpty(value) {
	return value === void 0 || value.trim() === "" ? void 0 : value.trim();
}
// site/src/lib/data.ts
/**
* The site's only way into the traces: core's TraceStore, configured like every other process
* (DISCOTRACE_STORE / DISCOTRACE_STORE_DIR, else .discotrace/traces under DISCOTRACE_SITE_ROOT).
* Listings are read once per build and shared by every page; a run's traces are read by its own
* page only, so memory stays flat however many runs there are.
*/
var configured;
var listing;
var skipped = [];
function store() {
	configured ??= storeFromConfig(process.env, { cwd: process.env.DISCOTRACE_SITE_ROOT || process.cwd() }).store;
	return configured;
}
/** Every run with a report, newest first (damaged documents are left out and named in `skippedDocuments`). */
function allRuns() {
	listing ??= store().listRuns({ onBadDocument: (error) => {
		skipped.push(error.message);
		console.warn(`discotrace site: skipped ${error.message}`);
	} });
	return listing;
}
/** Documents the listing could not read, for the runs page to mention. */
function skippedDocuments() {
	return skipped;
}
/** A run's report and phase traces. */
async function loadRun(runId) {
	const s = store();
	const [report, phases] = await Promise.all([s.getReport(runId), s.listPhases(runId)]);
	if (!report) throw new Error(`run ${runId}: no report in ${s.location}`);
	return {
		report,
		phases
	};
}
async function runsOfDomain(domain) {
	return (await allRuns()).filter((run) => run.domain === domain);
}
async function runsOfGroup(group) {
	return (await allRuns()).filter((run) => run.group === group).sort((a, b) => a.region.localeCompare(b.region));
}
/** The distinct values the runs page filters on. */
async function facets() {
	const runs = await allRuns();
	const domains = /* @__PURE__ */ new Set();
	const regions = /* @__PURE__ */ new Set();
	const groups = /* @__PURE__ */ new Set();
	for (const run of runs) {
		if (run.domain) domains.add(run.domain);
		regions.add(run.region);
		if (run.group) groups.add(run.group);
	}
	return {
		domains: [...domains].sort(),
		regions: [...regions].sort(),
		groups: [...groups].sort()
	};
}
export { runsOfGroup as a, runsOfDomain as i, facets as n, skippedDocuments as o, loadRun as r, __exportAll as s, allRuns as t };
