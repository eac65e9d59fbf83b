// The drop relay client: upload, list, download and delete drops on a
// willow-web relay (relay/ in the repository; API v1, see relay/README.md).
// Exported from index.js as the namespace `relay`. Every request carries the
// capability (Willow-Capability), a timestamp (Willow-Timestamp) and the
// receiver's signature (Willow-Signature) over
//   "willow-relay/v1 request" 0x00 METHOD 0x0A TARGET 0x0A TIMESTAMP 0x0A WILLIAM3(body)
// computed with the package's own WILLIAM3 and ed25519 (the wasm module).

import { WillowError } from "./errors.js";
import { checkBytes, invalid } from "./values.js";
import { Capability, createHasher, hash, publicKeyFromSecret, sign } from "./index.js";

/** The relay's error codes (relay/errors.go); each becomes the WillowError code "relay_" + code. */
const RELAY_CODES = new Set([
  "bad_request",
  "bad_namespace",
  "bad_drop_id",
  "missing_auth",
  "bad_capability",
  "invalid_capability",
  "bad_signature",
  "bad_timestamp",
  "stale_timestamp",
  "wrong_namespace",
  "wrong_access_mode",
  "not_uploader",
  "unauthorised_entry",
  "entry_outside_area",
  "not_found",
  "method_not_allowed",
  "replayed_request",
  "body_too_large",
  "namespace_full",
  "invalid_drop",
  "truncated_drop",
  "quota_exceeded",
  "storage_error",
  "internal_error",
]);

const PREFIX = new TextEncoder().encode("willow-relay/v1 request\u0000");
const READ_CHUNK = 1 << 20;
/** How many later seconds a request is re-signed for when the relay calls it a replay. */
const REPLAY_RETRIES = 3;

// Signatures this realm has sent, until their timestamp leaves any relay's
// window: two identical requests within one second would carry the same
// (deterministic ed25519) signature and the relay would refuse the second as
// a replay, so a repeat is signed for the next free second instead.
const sent = new Map(); // base64 signature → Unix seconds
const SENT_TTL = 15 * 60;

function hex(bytes) {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function aborted(signal) {
  return new WillowError("aborted", "the relay request was aborted", { cause: signal?.reason });
}

function checkAccess(access) {
  if (!access || typeof access !== "object") throw invalid("relay functions take { url, capability, secret }");
  const { url, capability, secret } = access;
  if (!(capability instanceof Capability)) throw invalid("access.capability must be a Capability");
  checkBytes(secret, 32, "access.secret");
  let base;
  try {
    base = new URL(String(url));
  } catch {
    throw invalid(`access.url ${String(url)} is not a URL`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw invalid("access.url must be an http or https URL");
  if (access.fetch !== undefined && typeof access.fetch !== "function") throw invalid("access.fetch must be a function");
  base.search = "";
  base.hash = "";
  base.pathname = base.pathname.replace(/\/+$/, "") + `/v1/namespaces/${hex(capability.namespaceId)}/drops`;
  // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
  const f = access.fetch ?? globalThis.fetch;
  return { base, capability, secret, fetch: (url, init) => f(url, init) };
}

// The receiver's secret must be the capability's: checked here so a mix-up
// is a clear local error rather than the relay's bad_signature.
const receiverChecked = new WeakMap(); // Capability → hex(secret) known to match
async function checkReceiver(a) {
  const known = receiverChecked.get(a.capability);
  const key = hex(a.secret);
  if (known === key) return;
  const pub = await publicKeyFromSecret(a.secret);
  if (hex(pub) !== hex(a.capability.receiver)) {
    throw new WillowError("wrong_secret", "access.secret is not the secret of the capability's receiver");
  }
  receiverChecked.set(a.capability, key);
}

let emptyDigest = null;

/** The message the receiver signs (relay.SignedMessage). */
function signedMessage(method, target, ts, digest) {
  const head = new TextEncoder().encode(`${method}\n${target}\n${ts}\n`);
  const m = new Uint8Array(PREFIX.length + head.length + 32);
  m.set(PREFIX, 0);
  m.set(head, PREFIX.length);
  m.set(digest, PREFIX.length + head.length);
  return m;
}

async function signHeaders(a, method, url, digest, notBefore) {
  const target = url.pathname + url.search; // what fetch sends, byte for byte
  const now = Math.floor(Date.now() / 1000);
  for (const [s, t] of sent) if (t < now - SENT_TTL) sent.delete(s);
  for (let ts = Math.max(now, notBefore); ; ts++) {
    const sig = base64(await sign(a.secret, signedMessage(method, target, ts, digest)));
    if (sent.has(sig)) continue;
    sent.set(sig, ts);
    return {
      ts,
      headers: {
        "Willow-Capability": base64(a.capability.bytes),
        "Willow-Timestamp": String(ts),
        "Willow-Signature": sig,
      },
    };
  }
}

/** Turns a non-2xx answer into a WillowError with the relay's code ("relay_" + code). */
async function relayError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: a proxy or a gateway answered
  }
  const code = body?.error?.code;
  const message = body?.error?.message;
  let err;
  if (typeof code === "string" && RELAY_CODES.has(code)) {
    err = new WillowError(`relay_${code}`, `relay answered ${res.status} ${code}: ${message ?? ""}`);
  } else if (typeof code === "string") {
    err = new WillowError("relay_error", `relay answered ${res.status} with an unknown code ${code}: ${message ?? ""}`);
  } else {
    err = new WillowError("relay_error", `relay answered ${res.status} ${res.statusText} without a JSON error`);
  }
  err.status = res.status;
  return err;
}

/**
 * Sends one signed request; re-signs for a later second when the relay says
 * replayed_request (another realm sent the same signature). Resolves with a
 * 2xx Response; anything else rejects with a WillowError.
 */
async function send(a, method, url, { digest, body, signal, contentType }) {
  await checkReceiver(a);
  let notBefore = 0;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw aborted(signal);
    const { ts, headers } = await signHeaders(a, method, url, digest, notBefore);
    if (contentType) headers["Content-Type"] = contentType;
    let res;
    try {
      res = await a.fetch(url.href, { method, headers, body, signal });
    } catch (err) {
      if (signal?.aborted) throw aborted(signal);
      throw new WillowError("relay_unreachable", `${method} ${url.href}: ${err?.message ?? err}`, { cause: err });
    }
    if (res.ok) return res;
    const err = await relayError(res);
    if (err.code === "relay_replayed_request" && attempt < REPLAY_RETRIES) {
      notBefore = ts + 1;
      continue;
    }
    throw err;
  }
}

function checkSignal(signal) {
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalid("signal must be an AbortSignal");
}

function checkProgress(onProgress) {
  if (onProgress !== undefined && typeof onProgress !== "function") throw invalid("onProgress must be a function");
}

function isBlob(x) {
  return typeof Blob !== "undefined" && x instanceof Blob;
}

/** Yields the chunks of an upload source, split into ≤ 1 MiB pieces. */
async function* uploadChunks(source, signal) {
  for await (const chunk of sourceChunks(source, signal)) {
    for (let off = 0; off < chunk.length; off += READ_CHUNK) yield chunk.subarray(off, off + READ_CHUNK);
  }
}

async function* sourceChunks(source, signal) {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  let iter;
  if (isBlob(source)) iter = source.stream();
  else if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) iter = source;
  else if (source !== null && typeof source === "object" && (Symbol.asyncIterator in source || Symbol.iterator in source)) iter = source;
  else throw invalid("an upload source is a Uint8Array, a Blob, a ReadableStream or an iterable of Uint8Arrays");
  if (typeof ReadableStream !== "undefined" && iter instanceof ReadableStream) {
    // An abort cancels the source, which ends a pending read.
    const reader = iter.getReader();
    const cancel = () => reader.cancel(signal.reason).catch(() => {});
    signal?.addEventListener("abort", cancel, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield checkBytes(value, undefined, "upload chunk");
      }
    } finally {
      signal?.removeEventListener("abort", cancel);
      reader.releaseLock();
    }
  }
  for await (const chunk of iter) yield checkBytes(chunk, undefined, "upload chunk");
}

/**
 * Uploads a drop (its bytes, a Blob, a ReadableStream or an iterable of
 * chunks) to the relay under access (a write capability for the namespace).
 * The WILLIAM3 digest of the whole body is part of the signed message, so the
 * source is read and hashed completely before the request is sent; a
 * stream's chunks are held (as a Blob where the platform has Blob) until
 * then. onProgress({phase, bytes, total}): phase "reading" after every chunk
 * read and hashed, then "sending" with bytes 0 when the request starts and
 * bytes = total once the relay has answered (fetch reports no progress of a
 * request body).
 */
export async function upload(access, source, { onProgress, signal } = {}) {
  const a = checkAccess(access);
  checkSignal(signal);
  checkProgress(onProgress);
  if (signal?.aborted) throw aborted(signal);
  const total = source instanceof Uint8Array ? source.length : isBlob(source) ? source.size : undefined;
  const hasher = await createHasher();
  const parts = [];
  let bytes = 0;
  let digest;
  try {
    for await (const chunk of uploadChunks(source, signal)) {
      if (signal?.aborted) throw aborted(signal);
      // Awaiting the digest so far (cheap: O(log n) chaining values) makes
      // "reading" progress mean hashed, and holds a fast source back to the
      // hasher's pace instead of queueing copies of the whole body.
      digest = await hasher.update(chunk).digest();
      if (!(source instanceof Uint8Array) && !isBlob(source)) parts.push(chunk.slice());
      bytes += chunk.length;
      onProgress?.({ phase: "reading", bytes, total });
    }
    digest = bytes === 0 ? await hasher.digest() : digest;
  } finally {
    hasher.dispose().catch(() => {});
  }
  if (signal?.aborted) throw aborted(signal);
  let body = source;
  if (!(source instanceof Uint8Array) && !isBlob(source)) {
    if (typeof Blob !== "undefined") body = new Blob(parts);
    else {
      body = new Uint8Array(bytes);
      let off = 0;
      for (const p of parts) {
        body.set(p, off);
        off += p.length;
      }
    }
  }
  onProgress?.({ phase: "sending", bytes: 0, total: bytes });
  const res = await send(a, "PUT", a.base, { digest, body, signal, contentType: "application/octet-stream" });
  let answer;
  try {
    answer = await res.json();
  } catch (err) {
    if (signal?.aborted) throw aborted(signal);
    throw new WillowError("relay_error", "the relay's answer to the upload is not JSON", { cause: err });
  }
  onProgress?.({ phase: "sending", bytes, total: bytes });
  return answer;
}

function listTarget(a, after, limit) {
  const url = new URL(a.base.href);
  const q = [];
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid("limit must be an integer 1…1000");
    q.push(`limit=${limit}`);
  }
  if (after !== undefined && after !== "") {
    if (typeof after !== "string") throw invalid("after must be a string (a listing's next)");
    q.push(`after=${encodeURIComponent(after)}`);
  }
  if (q.length) url.search = "?" + q.join("&");
  return url;
}

async function emptyBodyDigest() {
  emptyDigest ??= await hash(new Uint8Array(0));
  return emptyDigest;
}

/**
 * One page of the namespace's drops, in increasing id order: { drops, next }.
 * Pass next back as after for the following page; it is absent on the last
 * page. limit: 1…1000 (the relay's default is 100). Needs a read capability.
 */
export async function list(access, { after, limit, signal } = {}) {
  const a = checkAccess(access);
  checkSignal(signal);
  const url = listTarget(a, after, limit);
  const res = await send(a, "GET", url, { digest: await emptyBodyDigest(), signal });
  let page;
  try {
    page = await res.json();
  } catch (err) {
    if (signal?.aborted) throw aborted(signal);
    throw new WillowError("relay_error", "the relay's listing is not JSON", { cause: err });
  }
  if (!page || !Array.isArray(page.drops)) throw new WillowError("relay_error", "the relay's listing has no drops array");
  return page.next ? { drops: page.drops, next: page.next } : { drops: page.drops };
}

/** Every drop of the namespace, following list pages of 1000. */
export async function listAll(access, { signal } = {}) {
  const out = [];
  let after;
  for (;;) {
    const page = await list(access, { after, limit: 1000, signal });
    out.push(...page.drops);
    if (!page.next) return out;
    after = page.next;
  }
}

function dropId(id) {
  if (id instanceof Uint8Array) return hex(checkBytes(id, 32, "drop id"));
  if (typeof id === "string" && /^[0-9a-fA-F]{64}$/.test(id)) return id.toLowerCase();
  throw invalid("a drop id is 64 hex digits or 32 bytes (the WILLIAM3 digest of the drop)");
}

/**
 * Downloads the drop with the given id (64 hex digits or 32 bytes). Resolves
 * once the relay has answered, with the drop as a ReadableStream of chunks as
 * they arrive (pass it to ingestDrop). The bytes are hashed on the way: if
 * their WILLIAM3 digest is not id the stream errors with
 * relay_digest_mismatch at its end (ingestDrop then writes nothing).
 * onProgress({phase: "receiving", bytes, total}) after every chunk (total
 * from Content-Length). Aborting errors the stream with `aborted`.
 */
export async function download(access, id, { onProgress, signal } = {}) {
  const a = checkAccess(access);
  checkSignal(signal);
  checkProgress(onProgress);
  const idHex = dropId(id);
  const url = new URL(a.base.href);
  url.pathname += "/" + idHex;
  const res = await send(a, "GET", url, { digest: await emptyBodyDigest(), signal });
  const length = Number(res.headers.get("Content-Length"));
  const total = res.headers.get("Content-Length") !== null && Number.isSafeInteger(length) ? length : undefined;
  if (!res.body) throw new WillowError("relay_error", "the relay's answer has no body");
  const reader = res.body.getReader();
  const hasher = await createHasher();
  let bytes = 0;
  let done = false;
  const finish = () => {
    done = true;
    hasher.dispose().catch(() => {});
  };
  return new ReadableStream(
    {
      pull: async (controller) => {
        let step;
        try {
          step = await reader.read();
        } catch (err) {
          finish();
          throw signal?.aborted ? aborted(signal) : new WillowError("relay_unreachable", `reading drop ${idHex}: ${err?.message ?? err}`, { cause: err });
        }
        if (step.done) {
          let got;
          try {
            got = hex(await hasher.digest());
          } finally {
            finish();
          }
          if (got !== idHex) {
            throw new WillowError("relay_digest_mismatch", `the relay sent ${bytes} bytes whose WILLIAM3 is ${got}, not ${idHex}`);
          }
          controller.close();
          return;
        }
        hasher.update(step.value);
        bytes += step.value.length;
        controller.enqueue(step.value);
        onProgress?.({ phase: "receiving", bytes, total });
      },
      cancel: async (reason) => {
        if (!done) finish();
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

/** Deletes a drop (id: 64 hex digits or 32 bytes); needs a write capability whose receiver uploaded it. */
async function remove(access, id, { signal } = {}) {
  const a = checkAccess(access);
  checkSignal(signal);
  const url = new URL(a.base.href);
  url.pathname += "/" + dropId(id);
  const res = await send(a, "DELETE", url, { digest: await emptyBodyDigest(), signal });
  await res.body?.cancel().catch(() => {});
}

export { remove as delete };
