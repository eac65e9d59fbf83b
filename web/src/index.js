// willow-web: the Willow protocol (Willow'25) in Go/WebAssembly behind a typed
// JavaScript API. See README.md and index.d.ts.

import { WillowError } from "./errors.js";
import { Reader, Writer } from "./wire.js";
import { localTransport, workerTransport } from "./transport.js";
import { readFileURL } from "#load";
import { checkIdentities, checkRecipients, looksSealed, openIterator, openStream, peek, sealStream } from "./seal.js";
import {
  Area,
  AreaOfInterest,
  Entry,
  Path,
  TimeRange,
  UNLIMITED,
  checkBytes,
  checkU64,
  invalid,
  now,
} from "./values.js";

export { WillowError } from "./errors.js";
/** The drop relay client (relay.js): upload, list, listAll, download, delete. */
export * as relay from "./relay.js";
export {
  Area,
  AreaOfInterest,
  Entry,
  MAX_COMPONENT_COUNT,
  MAX_COMPONENT_LENGTH,
  MAX_PATH_LENGTH,
  Path,
  PathRange,
  SubspaceRange,
  TimeRange,
  UNLIMITED,
  dateFromTimestamp,
  now,
  timestampFromDate,
  timestampFromUnixMicros,
} from "./values.js";

/** The byte protocol version this façade speaks (wasm/PROTOCOL.md). */
const PROTOCOL_VERSION = 1;

const OP = {
  info: 0x01,
  keygen: 0x10,
  publicKey: 0x11,
  sign: 0x12,
  verify: 0x13,
  hash: 0x20,
  hasherNew: 0x21,
  hasherDigest: 0x23,
  hasherFree: 0x24,
  encodePaths: 0x30,
  decodePaths: 0x31,
  encodeEntries: 0x32,
  decodeEntries: 0x33,
  encodeAreaInArea: 0x34,
  decodeAreaInArea: 0x35,
  capCommunal: 0x40,
  capOwned: 0x41,
  capDelegate: 0x42,
  capDecode: 0x43,
  capValidate: 0x44,
  authorise: 0x45,
  checkAuthorised: 0x46,
  tokenDecode: 0x47,
  capOwnedFromSigned: 0x48,
  benchEntries: 0x7e,
  storeOpen: 0x80,
  storeClose: 0x81,
  storePreview: 0x82,
  storeGet: 0x83,
  storeQuery: 0x84,
  storeQueryNext: 0x85,
  storeQueryClose: 0x86,
  storeForget: 0x87,
  storeSubscribe: 0x88,
  storeUnsubscribe: 0x89,
  storeIngest: 0x8a,
  writePayload: 0x8b,
  readPayload: 0x8c,
  payloadInfo: 0x8d,
  inspectDrop: 0x50,
  createDrop: 0x90,
  dropRead: 0x91,
  dropClose: 0x92,
  ingestDropBegin: 0x93,
  ingestDropWrite: 0x94,
  ingestDropEnd: 0x95,
  ingestDropAbort: 0x96,
  storeDeleteIndexedDB: 0x97,
  storeForgetEntry: 0x98,
  uriParse: 0x36,
  ageKeys: 0x38,
  uriFormat: 0x37,
  storeResolve: 0x99,
  storeWatch: 0x9a,
};

// Module state: the one running engine of this JavaScript realm.
let transport = null;
let initPromise = null;
const listeners = new Map();
// Subscriptions taking the encoded event batch as is (an IndexedDB store's
// watch, relayed to other tabs).
const rawListeners = new Map();

function onEvent(sub, bytes) {
  const raw = rawListeners.get(sub);
  if (raw) return raw(bytes);
  const listener = listeners.get(sub);
  if (!listener) return;
  for (const event of readEvents(bytes)) deliver(listener, event);
}

function readEvents(bytes) {
  const r = new Reader(bytes);
  const n = r.uvarint();
  const events = new Array(n);
  for (let i = 0; i < n; i++) {
    const kind = EVENT_KINDS[r.u8()];
    const entry = readEntry(r);
    const event = { kind, entry };
    if (kind === "pruned") event.by = readEntry(r);
    events[i] = event;
  }
  return events;
}

function deliver(listener, event) {
  try {
    listener(event);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
const EVENT_KINDS = [undefined, "inserted", "pruned", "forgotten", "payloadChanged"];

async function compile(source) {
  source = await source;
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof Response !== "undefined" && source instanceof Response) {
    if (!source.ok) throw new WillowError("init_failed", `fetching willow.wasm failed: HTTP ${source.status}`);
    if (WebAssembly.compileStreaming && source.headers.get("content-type")?.startsWith("application/wasm")) {
      return WebAssembly.compileStreaming(source);
    }
    return WebAssembly.compile(await source.arrayBuffer());
  }
  if (typeof source === "string" || source instanceof URL) {
    const url = new URL(source, typeof location !== "undefined" ? location.href : undefined);
    if (url.protocol === "file:") {
      return WebAssembly.compile(await readFileURL(url));
    }
    return compile(fetch(url));
  }
  throw invalid("init() takes a URL, a Response, bytes or a WebAssembly.Module");
}

function isBrowser() {
  return typeof window !== "undefined" && typeof document !== "undefined" && typeof Worker !== "undefined";
}

/**
 * Loads and starts the WebAssembly module. Call it once before anything that
 * needs the module; later calls return the first call's promise.
 */
export function init(source, options = {}) {
  if (initPromise) return initPromise;
  initPromise = (async () => {
    const module = await compile(source ?? new URL("./willow.wasm", import.meta.url));
    const useWorker = options.worker ?? isBrowser();
    const t = useWorker ? await workerTransport(module, onEvent) : await localTransport(module, onEvent);
    const r = await request(t, OP.info, new Uint8Array(0));
    const version = r.uvarint();
    const goVersion = r.string();
    if (version !== PROTOCOL_VERSION) {
      t.terminate();
      throw new WillowError("init_failed", `willow.wasm speaks protocol ${version}, this package ${PROTOCOL_VERSION}`);
    }
    transport = t;
    return { mode: t.mode, goVersion, protocolVersion: version };
  })();
  initPromise.catch(() => {
    initPromise = null;
  });
  return initPromise;
}

/** Stops the module (terminating its Worker). init() may be called again afterwards. */
export function shutdown() {
  if (transport) transport.terminate();
  transport = null;
  initPromise = null;
  listeners.clear();
  rawListeners.clear();
}

function active() {
  if (!transport) throw new WillowError("not_initialised", "call and await init() first");
  return transport;
}

function parse(resp) {
  const r = new Reader(resp);
  if (r.u8() === 0) return r;
  const code = r.string();
  const message = r.string();
  throw new WillowError(code || "internal", message);
}

async function request(t, op, req) {
  return parse(op >= 0x80 ? await t.async(op, req) : await t.sync(op, req));
}

/** Throws unless t is still the running transport (handles of a module that was shut down are void). */
function sameInstance(t, what) {
  if (t !== transport) throw new WillowError("closed", `the ${what} belongs to a module that was shut down`);
}

/** Ingests a batch (the request and result of op 0x8a) through the engine's ingest. */
async function ingestCall(w) {
  return parse(await active().ingest(w.finish()));
}

/** Sends one request to the module and returns a Reader over the result. */
function call(op, w) {
  let t;
  try {
    t = active();
  } catch (err) {
    return Promise.reject(err);
  }
  return request(t, op, w instanceof Writer ? w.finish() : w);
}

// Wire helpers for values.

function writePath(w, p) {
  if (!(p instanceof Path)) throw invalid("expected a Path");
  const cs = p.components;
  w.uvarint(cs.length);
  for (let i = 0; i < cs.length; i++) w.bytes(cs[i]);
}

function readPath(r) {
  const n = r.uvarint();
  const cs = new Array(n);
  for (let i = 0; i < n; i++) cs[i] = r.bytes();
  return Path.trusted(cs);
}

function writeEntry(w, e) {
  if (!(e instanceof Entry)) throw invalid("expected an Entry");
  w.raw(e.namespaceId);
  w.raw(e.subspaceId);
  writePath(w, e.path);
  w.u64(e.timestamp);
  w.u64(e.payloadLength);
  w.raw(e.payloadDigest);
}

function readEntry(r) {
  const ns = r.raw(32);
  const ss = r.raw(32);
  const p = readPath(r);
  const ts = r.u64();
  const len = r.u64();
  return Entry.trusted(ns, ss, p, ts, len, r.raw(32));
}

function writeTimes(w, t) {
  w.u64(t.start);
  w.bool(t.end !== undefined);
  if (t.end !== undefined) w.u64(t.end);
}

function readTimes(r) {
  const start = r.u64();
  return r.bool() ? new TimeRange(start, r.u64()) : new TimeRange(start);
}

function writeArea(w, a) {
  if (!(a instanceof Area)) throw invalid("expected an Area");
  w.bool(a.subspace !== null);
  if (a.subspace !== null) w.raw(a.subspace);
  writePath(w, a.path);
  writeTimes(w, a.times);
}

function readArea(r) {
  const subspace = r.bool() ? r.raw(32) : null;
  const path = readPath(r);
  return new Area({ subspace, path, times: readTimes(r) });
}

// ---- Keys and signatures ----

async function keygen(kind) {
  const w = new Writer(8);
  w.u8(kind);
  w.uvarint(1);
  const r = await call(OP.keygen, w);
  return { id: r.raw(32).slice(), secret: r.raw(32).slice() };
}

/** A fresh subspace key pair: `id` (the public key) and `secret`. */
export const generateSubspaceKeypair = () => keygen(0);
/** A fresh communal namespace key pair (the id's last bit is 0). */
export const generateCommunalNamespaceKeypair = () => keygen(1);
/** A fresh owned namespace key pair (the id's last bit is 1); the secret signs capabilities. */
export const generateOwnedNamespaceKeypair = () => keygen(2);

/** The public key (id) of a 32-byte secret. */
export async function publicKeyFromSecret(secret) {
  checkBytes(secret, 32, "secret");
  const w = new Writer(40);
  w.uvarint(1);
  w.raw(secret);
  return (await call(OP.publicKey, w)).raw(32).slice();
}

/** Whether a namespace id is communal (last bit 0). */
export function isCommunalNamespace(id) {
  checkBytes(id, 32, "namespace id");
  return (id[31] & 1) === 0;
}

/** Whether a namespace id is owned (last bit 1). */
export function isOwnedNamespace(id) {
  return !isCommunalNamespace(id);
}

/** Signs message with an ed25519 secret (32-byte seed). */
export async function sign(secret, message) {
  checkBytes(secret, 32, "secret");
  checkBytes(message, undefined, "message");
  const w = new Writer(48 + message.length);
  w.uvarint(1);
  w.raw(secret);
  w.bytes(message);
  return (await call(OP.sign, w)).raw(64).slice();
}

/** Verifies many ed25519 signatures (strictly, as Willow'25 requires) in one call. */
export async function verifyBatch(items) {
  const w = new Writer(128 * items.length + 8);
  w.uvarint(items.length);
  for (const { publicKey, message, signature } of items) {
    checkBytes(publicKey, 32, "publicKey");
    checkBytes(message, undefined, "message");
    checkBytes(signature, 64, "signature");
    w.raw(publicKey);
    w.bytes(message);
    w.raw(signature);
  }
  const r = await call(OP.verify, w);
  return items.map(() => r.bool());
}

/** Verifies one ed25519 signature strictly. */
export async function verify(publicKey, message, signature) {
  return (await verifyBatch([{ publicKey, message, signature }]))[0];
}

// ---- WILLIAM3 ----

/** The WILLIAM3 digest (32 bytes) of data. */
export async function hash(data) {
  checkBytes(data, undefined, "data");
  return active().hash(data);
}

const hasherRegistry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((handle) => {
        if (!transport) return;
        const w = new Writer(8);
        w.uvarint(handle);
        call(OP.hasherFree, w).catch(() => {});
      })
    : null;

/** An incremental WILLIAM3 hasher. update() queues data; digest() resolves once all of it is hashed. */
/**
 * Bytes a Hasher gathers before sending them to the module: updates smaller
 * than this are copied into one buffer and sent together, so that hashing
 * in small pieces costs one call (and one promise) per MiB, not per piece.
 */
const HASHER_BUFFER = 1 << 20;

export class Hasher {
  /** @internal */
  constructor(handle) {
    this.handle = handle;
    this.t = transport;
    this.queue = Promise.resolve();
    this.error = null;
    this.disposed = false;
    this.buf = null; // gathered, not yet sent bytes: buf[0, len)
    this.len = 0;
    this.spare = null; // a buffer the module is done with
    hasherRegistry?.register(this, { handle, t: transport }, this);
  }
  /** Adds data; returns this for chaining. Errors surface at digest(). */
  update(data) {
    checkBytes(data, undefined, "data");
    if (this.disposed) throw new WillowError("closed", "the hasher was disposed");
    sameInstance(this.t, "hasher");
    if (this.len === 0 && data.length >= HASHER_BUFFER) {
      this.send(data.slice());
      return this;
    }
    let off = 0;
    while (off < data.length) {
      this.buf ??= new Uint8Array(HASHER_BUFFER);
      const n = Math.min(data.length - off, HASHER_BUFFER - this.len);
      this.buf.set(data.subarray(off, off + n), this.len);
      this.len += n;
      off += n;
      if (this.len === HASHER_BUFFER) this.flush();
    }
    return this;
  }
  /**
   * Sends the gathered bytes. The buffer goes with them and comes back as
   * the spare one once the module has them, so that a long run of updates
   * reuses two buffers instead of allocating one per MiB.
   */
  flush() {
    if (this.len === 0) return;
    const full = this.buf;
    const bytes = full.subarray(0, this.len);
    this.buf = this.spare ?? null;
    this.spare = null;
    this.len = 0;
    this.send(bytes, full);
  }
  /** Queues one update call to the module with bytes, which it owns until then. */
  send(bytes, reuse = null) {
    this.queue = this.queue.then(async () => {
      const ok = await active().hasherUpdate(this.handle, bytes);
      if (reuse && !this.disposed) this.spare = reuse;
      if (!ok) throw new WillowError("closed", "the hasher is gone");
    });
    this.queue.catch((err) => {
      this.error ??= err;
    });
  }
  /** The digest of everything added so far; more data may be added afterwards. */
  async digest() {
    if (!this.disposed) this.flush();
    await this.queue.catch(() => {});
    if (this.error) throw this.error;
    if (this.disposed) throw new WillowError("closed", "the hasher was disposed");
    sameInstance(this.t, "hasher");
    const w = new Writer(8);
    w.uvarint(this.handle);
    const r = await call(OP.hasherDigest, w);
    return r.raw(32).slice();
  }
  /** Frees the hasher in the module. */
  async dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.buf = this.spare = null;
    this.len = 0;
    hasherRegistry?.unregister(this);
    await this.queue.catch(() => {});
    if (this.t !== transport) return;
    const w = new Writer(8);
    w.uvarint(this.handle);
    await call(OP.hasherFree, w);
  }
}

/** A new incremental WILLIAM3 hasher. */
export async function createHasher() {
  const r = await call(OP.hasherNew, new Uint8Array(0));
  return new Hasher(r.uvarint());
}

// ---- Encodings ----

/** The canonic EncodePath code of each path, in one call. */
export async function encodePaths(paths) {
  const w = new Writer(64 * paths.length + 8);
  w.uvarint(paths.length);
  for (const p of paths) writePath(w, p);
  const r = await call(OP.encodePaths, w);
  return paths.map(() => r.bytes());
}

/** The canonic EncodePath code of a path. */
export async function encodePath(path) {
  return (await encodePaths([path]))[0];
}

/** Decodes canonic EncodePath codes (each must be exactly one code). */
export async function decodePaths(codes) {
  const w = new Writer(64 * codes.length + 8);
  w.uvarint(codes.length);
  for (const c of codes) w.bytes(checkBytes(c, undefined, "code"));
  const r = await call(OP.decodePaths, w);
  return codes.map(() => readPath(r));
}

/** Decodes one canonic EncodePath code. */
export async function decodePath(code) {
  return (await decodePaths([code]))[0];
}

/** encode_entry of each entry (the bytes Meadowcap signs), in one call. */
export async function encodeEntries(entries) {
  const w = new Writer(160 * entries.length + 8);
  w.uvarint(entries.length);
  for (const e of entries) writeEntry(w, e);
  const r = await call(OP.encodeEntries, w);
  const out = new Array(entries.length);
  for (let i = 0; i < out.length; i++) out[i] = r.bytes();
  return out;
}

/** encode_entry of one entry. */
export async function encodeEntry(entry) {
  return (await encodeEntries([entry]))[0];
}

/** Decodes canonic EncodeEntry codes (each must be exactly one code), in one call. */
export async function decodeEntries(codes) {
  const w = new Writer(128 * codes.length + 8);
  w.uvarint(codes.length);
  for (const c of codes) w.bytes(checkBytes(c, undefined, "code"));
  const r = await call(OP.decodeEntries, w);
  const out = new Array(codes.length);
  for (let i = 0; i < out.length; i++) out[i] = readEntry(r);
  return out;
}

/** Decodes one canonic EncodeEntry code. */
export async function decodeEntry(code) {
  return (await decodeEntries([code]))[0];
}

/** encode_area_in_area(area, outer); outer must include area. */
export async function encodeAreaInArea(area, outer) {
  const w = new Writer(256);
  writeArea(w, area);
  writeArea(w, outer);
  return (await call(OP.encodeAreaInArea, w)).bytes().slice();
}

/** Decodes a canonic EncodeAreaInArea code relative to outer. */
export async function decodeAreaInArea(code, outer) {
  const w = new Writer(256);
  w.bytes(checkBytes(code, undefined, "code"));
  writeArea(w, outer);
  return readArea(await call(OP.decodeAreaInArea, w));
}

/** @internal Go-only baseline for the benchmark: encode+decode rounds × entries inside the module; returns nanoseconds. */
export async function _benchEntriesInGo(entries, rounds) {
  const w = new Writer(160 * entries.length + 16);
  w.uvarint(entries.length);
  for (const e of entries) writeEntry(w, e);
  w.uvarint(rounds);
  return (await call(OP.benchEntries, w)).u64();
}

// ---- Entries ----

/** Builds entries step by step; build() hashes the payload for you. */
export class EntryBuilder {
  constructor() {
    this.fields = {};
  }
  namespaceId(id) {
    this.fields.namespaceId = checkBytes(id, 32, "namespaceId");
    return this;
  }
  subspaceId(id) {
    this.fields.subspaceId = checkBytes(id, 32, "subspaceId");
    return this;
  }
  path(p) {
    if (!(p instanceof Path)) throw invalid("path must be a Path");
    this.fields.path = p;
    return this;
  }
  timestamp(ts) {
    this.fields.timestamp = checkU64(ts, "timestamp");
    return this;
  }
  /** Stamps the current time (now()). */
  now() {
    this.fields.timestamp = now();
    return this;
  }
  /** The payload: build() hashes it and sets its length. */
  payload(bytes) {
    this.fields.payload = checkBytes(bytes, undefined, "payload");
    this.fields.payloadDigest = this.fields.payloadLength = undefined;
    return this;
  }
  /** A payload known only by digest and length. */
  payloadDigest(digest, length) {
    this.fields.payloadDigest = checkBytes(digest, 32, "payloadDigest");
    this.fields.payloadLength = checkU64(length, "payloadLength");
    this.fields.payload = undefined;
    return this;
  }
  async build() {
    const f = this.fields;
    for (const k of ["namespaceId", "subspaceId", "path"]) {
      if (f[k] === undefined) throw invalid(`entry builder: ${k} is not set`);
    }
    if (f.timestamp === undefined) throw invalid("entry builder: set timestamp(…) or now()");
    let digest = f.payloadDigest;
    let length = f.payloadLength;
    if (f.payload !== undefined) {
      digest = await hash(f.payload);
      length = BigInt(f.payload.length);
    }
    if (digest === undefined) throw invalid("entry builder: set payload(…) or payloadDigest(…)");
    return new Entry({ namespaceId: f.namespaceId, subspaceId: f.subspaceId, path: f.path, timestamp: f.timestamp, payloadLength: length, payloadDigest: digest });
  }
}

/** A new EntryBuilder. */
Entry.builder = () => new EntryBuilder();

// ---- Capabilities ----

function readCapability(r) {
  const bytes = r.bytes().slice();
  const isOwned = r.bool();
  const accessMode = r.bool() ? "write" : "read";
  const namespaceId = r.raw(32).slice();
  const user = r.raw(32).slice();
  const initialAuthorisation = r.raw(64).slice();
  const receiver = r.raw(32).slice();
  const grantedArea = readArea(r);
  const n = r.uvarint();
  const delegations = [];
  for (let i = 0; i < n; i++) {
    delegations.push({ area: readArea(r), user: r.raw(32).slice(), signature: r.raw(64).slice() });
  }
  return new Capability({
    bytes,
    isOwned,
    accessMode,
    namespaceId,
    user,
    initialAuthorisation: isOwned ? initialAuthorisation : null,
    receiver,
    grantedArea,
    delegations,
  });
}

function modeByte(mode) {
  if (mode === "write") return 1;
  if (mode === "read") return 0;
  throw invalid(`access mode must be "read" or "write", got ${String(mode)}`);
}

/** A Meadowcap capability (communal or owned, read or write), held as its canonic encoding. */
export class Capability {
  /** @internal Use the static constructors. */
  constructor(fields) {
    Object.assign(this, fields);
  }
  /** The communal capability of user in a communal namespace. */
  static async communal(namespaceId, user, mode = "write") {
    const w = new Writer(80);
    w.u8(modeByte(mode));
    w.raw(checkBytes(namespaceId, 32, "namespaceId"));
    w.raw(checkBytes(user, 32, "user"));
    return readCapability(await call(OP.capCommunal, w));
  }
  /** The owned capability for user over a whole owned namespace, signed with the namespace secret. */
  static async owned(namespaceSecret, user, mode = "write") {
    const w = new Writer(80);
    w.u8(modeByte(mode));
    w.raw(checkBytes(namespaceSecret, 32, "namespaceSecret"));
    w.raw(checkBytes(user, 32, "user"));
    return readCapability(await call(OP.capOwned, w));
  }
  /** An owned capability from an initial authorisation signed elsewhere (verified). */
  static async fromInitialAuthorisation(namespaceId, user, initialAuthorisation, mode = "write") {
    const w = new Writer(140);
    w.u8(modeByte(mode));
    w.raw(checkBytes(namespaceId, 32, "namespaceId"));
    w.raw(checkBytes(user, 32, "user"));
    w.raw(checkBytes(initialAuthorisation, 64, "initialAuthorisation"));
    return readCapability(await call(OP.capOwnedFromSigned, w));
  }
  /** Decodes a canonic encode_mc_capability code (signatures are not checked: see validate()). */
  static async decode(bytes) {
    const w = new Writer(bytes.length + 8);
    w.bytes(checkBytes(bytes, undefined, "capability code"));
    return readCapability(await call(OP.capDecode, w));
  }
  /** Restricts the capability to area and hands it to newUser, signing with the receiver's secret. */
  async delegate(receiverSecret, area, newUser) {
    const w = new Writer(this.bytes.length + 256);
    w.bytes(this.bytes);
    w.raw(checkBytes(receiverSecret, 32, "receiverSecret"));
    writeArea(w, area);
    w.raw(checkBytes(newUser, 32, "newUser"));
    return readCapability(await call(OP.capDelegate, w));
  }
  /** Resolves if the capability is valid; rejects with a WillowError saying why not. */
  async validate() {
    const w = new Writer(this.bytes.length + 8);
    w.bytes(this.bytes);
    await call(OP.capValidate, w);
  }
  /** Whether the capability is valid. */
  async isValid() {
    try {
      await this.validate();
      return true;
    } catch (err) {
      if (err instanceof WillowError && err.code !== "not_initialised") return false;
      throw err;
    }
  }
}

function readToken(r) {
  const bytes = r.bytes().slice();
  const capability = readCapability(r);
  return { bytes, capability, signature: r.raw(64).slice() };
}

/**
 * Authorises writing entry with a write capability: signs encode_entry(entry)
 * with the receiver's secret. Returns the AuthorisedEntry {entry, token}, the
 * token being the encoded authorisation token.
 */
export async function authorise(entry, capability, receiverSecret) {
  if (!(capability instanceof Capability)) throw invalid("authorise needs a Capability");
  const w = new Writer(capability.bytes.length + 256);
  writeEntry(w, entry);
  w.bytes(capability.bytes);
  w.raw(checkBytes(receiverSecret, 32, "receiverSecret"));
  const t = readToken(await call(OP.authorise, w));
  return { entry, token: t.bytes };
}

/** Decodes an encoded authorisation token into its capability and signature (nothing is verified). */
export async function decodeToken(token) {
  const w = new Writer(token.length + 8);
  w.bytes(checkBytes(token, undefined, "token"));
  return readToken(await call(OP.tokenDecode, w));
}

/**
 * Checks many (entry, token) pairs in one call. Each result is null when the
 * token authorises the entry, else the WillowError saying why not.
 */
export async function checkAuthorisedWrites(pairs) {
  const w = new Writer(300 * pairs.length + 8);
  w.uvarint(pairs.length);
  for (const { entry, token } of pairs) {
    writeEntry(w, entry);
    w.bytes(checkBytes(token, undefined, "token"));
  }
  const r = await call(OP.checkAuthorised, w);
  return pairs.map(() => (r.u8() === 0 ? null : new WillowError(r.string(), r.string())));
}

/** Resolves if token authorises entry; rejects with the WillowError saying why not. */
export async function verifyAuthorisation(entry, token) {
  const [err] = await checkAuthorisedWrites([{ entry, token }]);
  if (err) throw err;
}

/** Whether token authorises entry. */
export async function isAuthorisedWrite(entry, token) {
  return (await checkAuthorisedWrites([{ entry, token }]))[0] === null;
}

// ---- Stores ----

const OUTCOMES = [undefined, "inserted", "obsolete", "alreadyPresent"];

function readIngestResult(r) {
  const kind = OUTCOMES[r.u8()];
  const entry = readEntry(r);
  if (kind === "inserted") {
    const n = r.uvarint();
    const pruned = new Array(n);
    for (let i = 0; i < n; i++) pruned[i] = readEntry(r);
    return { kind, entry, pruned };
  }
  const other = readEntry(r);
  return kind === "obsolete" ? { kind, entry, obsoletedBy: other } : { kind, entry, existing: other };
}

const ORDERS = { path: 0, newestFirst: 1, oldestFirst: 2 };

// Items between two turns of the event loop in Store.ingest (≈ 5 ms of work).
const YIELD_EVERY = 1000;

function yieldToEventLoop() {
  const s = globalThis.scheduler;
  if (s && typeof s.yield === "function") return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A Willow store of entries of any number of namespaces. */
export class Store {
  /** @internal Use openMemoryStore() or openIndexedDBStore(). */
  constructor(handle, name = null) {
    this.handle = handle;
    this.t = transport;
    this.closed = false;
    // IndexedDB stores: the name (for Web Locks and the BroadcastChannel).
    this.name = name;
    // The operations of this Store run one after another (the module runs
    // them so anyway); queue is the last one's settled promise.
    this.queue = Promise.resolve();
    // This Store's subscriptions: id → {ns, area, listener}, for events
    // relayed from other tabs.
    this.subs = new Map();
    this.channel = null;
    this.watch = null;
  }
  /**
   * @internal Runs fn after this Store's earlier operations. For an
   * IndexedDB store where Web Locks exist, a "write" holds the store's
   * exclusive lock (one writer across tabs, from its first read to its
   * commit) and a "read" a shared hold on its commit lock (so that no other
   * tab commits in the middle of a read made of several IndexedDB
   * transactions; idbstore takes that lock exclusively around each commit).
   */
  run(kind, fn) {
    const next = this.queue.then(() => withLock(this.name, kind, fn));
    this.queue = next.catch(() => {});
    return next;
  }
  /** @internal Relays committed events to other tabs and takes theirs (IndexedDB stores). */
  async startRelay() {
    if (this.name === null || typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(LOCK_PREFIX + this.name);
    channel.onmessage = (ev) => {
      if (!(ev.data instanceof Uint8Array) || this.closed) return;
      let events;
      try {
        events = readEvents(ev.data);
      } catch {
        return; // not ours (another version of the package?)
      }
      for (const event of events) {
        event.remote = true;
        for (const sub of this.subs.values()) {
          if (sameBytes(event.entry.namespaceId, sub.ns) && sub.area.includes(event.entry)) deliver(sub.listener, event);
        }
      }
    };
    this.channel = channel;
    const id = (await call(OP.storeWatch, this.writer(8))).uvarint();
    this.watch = id;
    rawListeners.set(id, (bytes) => {
      if (!this.closed) channel.postMessage(bytes);
    });
  }
  writer(size) {
    if (this.closed) throw new WillowError("closed", "the store is closed");
    sameInstance(this.t, "store");
    const w = new Writer(size);
    w.uvarint(this.handle);
    return w;
  }
  /**
   * Verifies and ingests authorised entries, atomically: if any token does not
   * authorise its entry, nothing is written and the WillowError names the item.
   * Given one AuthorisedEntry, resolves with one result; given an array, with an array.
   */
  async ingest(items) {
    const many = Array.isArray(items);
    const list = many ? items : [items];
    this.writer(8); // throws if this store is closed
    const w = new Writer(300 * list.length + 16);
    w.uvarint(list.length);
    // Large batches give the event loop a turn every YIELD_EVERY items, on
    // the way in and out, so that no task of this thread grows long.
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
      const item = list[i];
      if (!item || !(item.entry instanceof Entry)) throw invalid("ingest takes {entry, token} objects");
      writeEntry(w, item.entry);
      w.bytes(checkBytes(item.token, undefined, "token"));
    }
    const batch = w.finish();
    // One request: the engine verifies the signature equations of a batch of
    // 16 or more items with WebCrypto where it can, next to the module (in
    // the Worker in Worker mode), before op 0x9b (see engine.js); the store's
    // write lock is held throughout.
    const r = await this.run("write", () => {
      const req = this.writer(batch.length + 16);
      req.raw(batch);
      return ingestCall(req);
    });
    const results = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
      results[i] = readIngestResult(r);
    }
    return many ? results : results[0];
  }
  /**
   * A drop of every entry in the given areas with the payload bytes the store
   * holds, as a stream of chunks. The drop is written when the stream is first
   * read (a snapshot held in the module until it is read or cancelled).
   */
  createDrop(areas, { sealTo, plaintext = false, withoutPayloads = false, chunkSize = 64 << 10 } = {}) {
    if (!Array.isArray(areas)) throw invalid("createDrop takes an array of {namespace, area}");
    if (sealTo !== undefined && plaintext) throw invalid("createDrop takes sealTo or plaintext: true, not both");
    if (sealTo === undefined && plaintext !== true) {
      throw invalid("createDrop needs recipients (sealTo: [subspace id | \"age1…\" | { passphrase }]) or, for an unencrypted drop, plaintext: true");
    }
    if (sealTo !== undefined) {
      checkRecipients(sealTo);
      return sealStream(this.createDrop(areas, { plaintext: true, withoutPayloads, chunkSize }), sealTo, deriveAgeKeys);
    }
    const w = this.writer(64 * areas.length + 16);
    w.uvarint(areas.length);
    for (const item of areas) {
      w.raw(checkBytes(item?.namespace, 32, "namespace"));
      writeArea(w, item.area);
    }
    w.bool(withoutPayloads);
    const req = w.finish().slice();
    let session = null;
    let finished = false;
    const sessionWriter = (extra) => {
      const sw = new Writer(16);
      sw.uvarint(session);
      sw.uvarint(extra);
      return sw;
    };
    return new ReadableStream(
      {
        pull: async (controller) => {
          sameInstance(this.t, "store");
          if (session === null) session = (await this.run("read", () => call(OP.createDrop, req))).uvarint();
          const r = await call(OP.dropRead, sessionWriter(chunkSize));
          const chunk = r.bytes().slice();
          if (chunk.length > 0) controller.enqueue(chunk);
          if (!r.bool()) {
            finished = true;
            controller.close();
          }
        },
        cancel: async () => {
          if (session !== null && !finished && this.t === transport) {
            const cw = new Writer(8);
            cw.uvarint(session);
            await call(OP.dropClose, cw).catch(() => {});
          }
        },
      },
      { highWaterMark: 0 },
    );
  }
  /**
   * Joins a drop into the store atomically: every token and payload slice is
   * verified, and on any problem (or an abort) nothing is written. source is
   * the drop's bytes, a ReadableStream or an (async) iterable of chunks.
   * onProgress({items, bytes}) is called after each chunk is consumed. Other
   * operations on this store wait until the drop is in.
   */
  async ingestDrop(source, { identities, onProgress, signal } = {}) {
    const aborted = () => new WillowError("aborted", "the drop ingest was aborted", { cause: signal?.reason });
    checkDropSource(source);
    if (identities !== undefined) checkIdentities(identities);
    if (signal?.aborted) throw aborted();
    // A sealed drop (age header) is opened on the way in, streaming.
    const peeked = await peek(chunksOf(source), 22);
    const sealed = looksSealed(peeked.prefix);
    if (sealed) {
      if (identities === undefined) throw new WillowError("no_matching_identity", "the drop is sealed (age); pass identities to open it");
      source = await openIterator(peeked.chunks, identities, deriveAgeKeys);
    } else {
      source = peeked.chunks;
    }
    if (signal?.aborted) throw aborted();
    const begin = this.writer(8);
    return this.run("write", () => this.ingestDropLocked(begin, source, { onProgress, signal, sealed, aborted }));
  }
  /** @internal ingestDrop from its first op on, holding the store's write lock. */
  async ingestDropLocked(begin, source, { onProgress, signal, sealed, aborted }) {
    if (signal?.aborted) throw aborted();
    const session = (await call(OP.ingestDropBegin, begin)).uvarint();
    const sessionOp = (op, chunk) => {
      sameInstance(this.t, "store");
      const w = new Writer((chunk?.length ?? 0) + 16);
      w.uvarint(session);
      if (chunk) w.bytes(chunk);
      return call(op, w);
    };
    let open = true;
    try {
      for await (const chunk of chunksOf(source)) {
        checkBytes(chunk, undefined, "drop chunk");
        for (let off = 0; off < chunk.length || (off === 0 && chunk.length === 0); off += 256 << 10) {
          if (signal?.aborted) throw aborted();
          if (chunk.length === 0) break;
          const r = await sessionOp(OP.ingestDropWrite, chunk.subarray(off, off + (256 << 10)));
          const progress = { items: r.uvarint(), bytes: r.u64() };
          onProgress?.(progress);
        }
      }
      if (signal?.aborted) throw aborted();
      open = false;
      const r = await sessionOp(OP.ingestDropEnd);
      const [items, inserted, obsolete, alreadyPresent, pruned] = [r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint()];
      return { items, inserted, obsolete, alreadyPresent, pruned, payloadBytes: r.u64(), bytes: r.u64(), sealed };
    } catch (err) {
      if (open) await sessionOp(OP.ingestDropAbort).catch(() => {});
      if (err instanceof WillowError && err.code === "closed" && signal?.aborted) throw aborted();
      throw err;
    }
  }
  /**
   * Resolves a Willow URI (a string or a parsed {@link parseUri} object)
   * against this store: for an entry URI the entry and, if it selects bytes,
   * the payload slice (clamped as the spec says); for an area URI the
   * entries, newest first. Rejects with not_found, overwritten or
   * missing_data.
   */
  async resolve(uri) {
    const u = typeof uri === "string" ? await parseUri(uri) : uri;
    const w = this.writer(256);
    writeUri(w, u);
    const r = await this.run("read", () => call(OP.storeResolve, w));
    if (r.u8() === 0) {
      const entry = readEntry(r);
      const token = r.bytes().slice();
      const out = { kind: "entry", entry, token };
      if (r.bool()) {
        out.from = r.u64();
        out.to = r.u64();
        out.payload = r.bytes().slice();
      }
      return out;
    }
    const n = r.uvarint();
    const entries = new Array(n);
    for (let i = 0; i < n; i++) {
      const entry = readEntry(r);
      entries[i] = { entry, token: r.bytes().slice() };
    }
    return { kind: "area", entries };
  }
  /** The operations on one namespace of this store. */
  namespace(id) {
    return new NamespaceStore(this, checkBytes(id, 32, "namespace id").slice());
  }
  /** Closes the store, ending its subscriptions. */
  async close() {
    if (this.closed) return;
    const w = this.writer(8);
    this.closed = true;
    this.channel?.close();
    if (this.watch !== null) rawListeners.delete(this.watch);
    for (const id of this.subs.keys()) listeners.delete(id);
    this.subs.clear();
    await this.run("none", () => call(OP.storeClose, w));
  }
}

/** One namespace of a Store: entries of different namespaces never interact. */
export class NamespaceStore {
  /** @internal */
  constructor(store, id) {
    this.store = store;
    this.id = id;
  }
  nsWriter(size) {
    const w = this.store.writer(size + 40);
    w.raw(this.id);
    return w;
  }
  /** Store.resolve, refusing a URI of another namespace (namespace_mismatch). */
  async resolve(uri) {
    const u = typeof uri === "string" ? await parseUri(uri) : uri;
    if (!u || !(u.namespace instanceof Uint8Array) || !sameBytes(u.namespace, this.id)) {
      throw new WillowError("namespace_mismatch", "the URI names another namespace");
    }
    return this.store.resolve(u);
  }
  /** Ingests authorised entries of this namespace (see Store.ingest). */
  async ingest(items) {
    for (const item of Array.isArray(items) ? items : [items]) {
      if (item && item.entry instanceof Entry && !sameBytes(item.entry.namespaceId, this.id)) {
        throw new WillowError("namespace_mismatch", "the entry belongs to another namespace");
      }
    }
    return this.store.ingest(items);
  }
  /** What ingesting entry would do now, changing nothing (no token needed). */
  async preview(entry) {
    if (!(entry instanceof Entry)) throw invalid("preview takes an Entry");
    if (!sameBytes(entry.namespaceId, this.id)) throw new WillowError("namespace_mismatch", "the entry belongs to another namespace");
    const w = this.store.writer(200);
    writeEntry(w, entry);
    return readIngestResult(await this.store.run("read", () => call(OP.storePreview, w)));
  }
  /** The stored entry at (subspace, path) with its token, or null. */
  async get(subspace, path) {
    const w = this.nsWriter(200);
    w.raw(checkBytes(subspace, 32, "subspace"));
    writePath(w, path);
    const r = await this.store.run("read", () => call(OP.storeGet, w));
    if (!r.bool()) return null;
    const entry = readEntry(r);
    return { entry, token: r.bytes().slice() };
  }
  /**
   * The entries of an Area or AreaOfInterest, as an async iterator that fetches
   * pages of pageSize (default 256). The query sees the store as it was when
   * the first page was fetched. Options: order ("path" | "newestFirst" |
   * "oldestFirst"), pageSize, and maxCount / maxSize (which override those of
   * an AreaOfInterest).
   */
  async *query(area, options = {}) {
    const aoi =
      area instanceof AreaOfInterest
        ? area
        : new AreaOfInterest(area, { maxCount: options.maxCount ?? UNLIMITED, maxSize: options.maxSize ?? UNLIMITED });
    const maxCount = area instanceof AreaOfInterest && options.maxCount === undefined ? aoi.maxCount : checkU64(options.maxCount ?? UNLIMITED, "maxCount");
    const maxSize = area instanceof AreaOfInterest && options.maxSize === undefined ? aoi.maxSize : checkU64(options.maxSize ?? UNLIMITED, "maxSize");
    if (maxCount === 0n) throw new WillowError("empty_grouping", "maxCount 0 selects nothing");
    const order = ORDERS[options.order ?? "path"];
    if (order === undefined) throw invalid(`unknown order ${String(options.order)}`);
    const pageSize = options.pageSize ?? 256;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw invalid("pageSize must be a positive integer");
    const w = this.nsWriter(256);
    writeArea(w, aoi.area);
    w.u64(maxCount);
    w.u64(maxSize);
    w.u8(order);
    w.uvarint(pageSize);
    let r = await this.store.run("read", () => call(OP.storeQuery, w));
    const session = r.uvarint();
    let more = true;
    try {
      for (;;) {
        const n = r.uvarint();
        const page = new Array(n);
        for (let i = 0; i < n; i++) {
          const entry = readEntry(r);
          page[i] = { entry, token: r.bytes() };
        }
        more = r.bool();
        yield* page;
        if (!more) return;
        sameInstance(this.store.t, "store");
        const next = new Writer(16);
        next.uvarint(session);
        next.uvarint(pageSize);
        r = await call(OP.storeQueryNext, next);
      }
    } finally {
      if (more && this.store.t === transport) {
        const close = new Writer(16);
        close.uvarint(session);
        close.uvarint(0);
        call(OP.storeQueryClose, close).catch(() => {});
      }
    }
  }
  /** Collects query(area, options) into an array. */
  async entries(area, options) {
    const out = [];
    for await (const item of this.query(area, options)) out.push(item);
    return out;
  }
  /**
   * Stores the complete payload of a stored entry; the bytes are checked
   * against its digest and length (payload_mismatch; no_such_entry if the
   * store does not hold the entry).
   */
  async writePayload(entry, payload) {
    if (!(entry instanceof Entry)) throw invalid("writePayload takes an Entry");
    checkBytes(payload, undefined, "payload");
    const w = this.store.writer(payload.length + 256);
    writeEntry(w, entry);
    w.bytes(payload);
    await this.store.run("write", () => call(OP.writePayload, w));
  }
  /**
   * Bytes [from, to) (default: all) of the payload of the entry at (subspace,
   * path). Rejects with payload_missing when the store lacks some of them.
   */
  async readPayload(subspace, path, { from = 0n, to = UNLIMITED } = {}) {
    const w = this.nsWriter(200);
    w.raw(checkBytes(subspace, 32, "subspace"));
    writePath(w, path);
    w.u64(checkU64(from, "from"));
    w.u64(checkU64(to, "to"));
    return (await this.store.run("read", () => call(OP.readPayload, w))).bytes().slice();
  }
  /** How much of the payload of the entry at (subspace, path) the store holds. */
  async payloadInfo(subspace, path) {
    const w = this.nsWriter(200);
    w.raw(checkBytes(subspace, 32, "subspace"));
    writePath(w, path);
    const r = await this.store.run("read", () => call(OP.payloadInfo, w));
    const state = ["none", "partial", "complete"][r.u8()];
    const n = r.uvarint();
    const slices = [];
    for (let i = 0; i < n; i++) slices.push({ start: r.u64(), count: r.u64() });
    return { state, slices };
  }
  /** Removes every entry of the area locally (not a deletion other peers learn of); resolves with the count. */
  async forgetArea(area) {
    const w = this.nsWriter(256);
    writeArea(w, area);
    return (await this.store.run("write", () => call(OP.storeForget, w))).uvarint();
  }
  /** Removes the one entry at (subspace, path) locally; resolves with whether there was one. */
  async forgetEntry(subspace, path) {
    const w = this.nsWriter(200);
    w.raw(checkBytes(subspace, 32, "subspace"));
    writePath(w, path);
    return (await this.store.run("write", () => call(OP.storeForgetEntry, w))).bool();
  }
  /**
   * The payload of the entry at (subspace, path) as a stream of chunks of
   * chunkSize bytes (default 64 KiB), one call to the module per chunk.
   */
  payloadStream(subspace, path, { chunkSize = 64 << 10 } = {}) {
    checkBytes(subspace, 32, "subspace");
    if (!(path instanceof Path)) throw invalid("expected a Path");
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw invalid("chunkSize must be a positive integer");
    let from = 0n;
    let length = null;
    return new ReadableStream(
      {
        pull: async (controller) => {
          if (length === null) {
            const got = await this.get(subspace, path);
            if (got === null) throw new WillowError("no_such_entry", `no entry at ${path}`);
            length = got.entry.payloadLength;
          }
          if (from >= length) return controller.close();
          const to = from + BigInt(chunkSize) < length ? from + BigInt(chunkSize) : length;
          controller.enqueue(await this.readPayload(subspace, path, { from, to }));
          from = to;
          if (from >= length) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
  }
  /**
   * Calls listener for every change to an entry of the area, after it is
   * committed. Resolves with a Subscription; cancel() ends it.
   */
  async subscribe(area, listener) {
    if (typeof listener !== "function") throw invalid("subscribe needs a listener function");
    const w = this.nsWriter(256);
    writeArea(w, area);
    const store = this.store;
    const id = (await store.run("none", () => call(OP.storeSubscribe, w))).uvarint();
    listeners.set(id, listener);
    store.subs.set(id, { ns: this.id, area, listener });
    return {
      async cancel() {
        store.subs.delete(id);
        if (!listeners.delete(id) || store.closed) return;
        const c = store.writer(16);
        c.uvarint(id);
        await store.run("none", () => call(OP.storeUnsubscribe, c));
      },
    };
  }
}

/** Yields the chunks of a drop source: bytes, a ReadableStream or an (async) iterable of chunks. */
async function* chunksOf(source) {
  if (source instanceof Uint8Array) {
    yield source;
  } else if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else if (isIterable(source)) {
    yield* source;
  } else {
    throw invalid("a drop source is a Uint8Array, a ReadableStream or an iterable of Uint8Arrays");
  }
}

function isIterable(x) {
  return x !== null && typeof x === "object" && (Symbol.asyncIterator in x || Symbol.iterator in x);
}

function checkDropSource(source) {
  const ok =
    source instanceof Uint8Array || (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) || isIterable(source);
  if (!ok) throw invalid("a drop source is a Uint8Array, a ReadableStream or an iterable of Uint8Arrays");
}

/**
 * Decodes a drop and describes each item: its entry and token, whether the
 * token authorises it (and why not), and the payload chunk ranges it carries,
 * verified against the entry's digest. Structural errors and payload
 * mismatches reject.
 */
export async function inspectDrop(source) {
  const parts = [];
  let total = 0;
  for await (const chunk of chunksOf(source)) {
    checkBytes(chunk, undefined, "drop chunk");
    parts.push(chunk);
    total += chunk.length;
  }
  const w = new Writer(total + 16);
  w.uvarint(total);
  for (const p of parts) w.raw(p);
  const r = await call(OP.inspectDrop, w);
  const n = r.uvarint();
  const items = [];
  for (let i = 0; i < n; i++) {
    const index = r.uvarint();
    const offset = r.u64();
    const entry = readEntry(r);
    const token = r.bytes().slice();
    const authorised = r.bool();
    const error = authorised ? null : new WillowError(r.string(), r.string());
    const m = r.uvarint();
    const slices = [];
    for (let j = 0; j < m; j++) slices.push({ start: r.u64(), count: r.u64() });
    items.push({ index, offset, entry, token, authorised, error, slices });
  }
  return items;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Opens a new, empty store held in memory (in the module's memory: in the Worker in Worker mode). */
export async function openMemoryStore() {
  const r = await call(OP.storeOpen, new Uint8Array([0]));
  return new Store(r.uvarint());
}

/**
 * Opens (or creates) the persistent store named name, kept in the IndexedDB
 * database "willow-web:" + name. Browsers only (Worker or calling thread);
 * elsewhere it rejects with `unsupported`.
 */
export async function openIndexedDBStore(name) {
  if (typeof name !== "string") throw invalid("the store name must be a string");
  const w = new Writer(name.length * 3 + 8);
  w.u8(1);
  w.string(name);
  // Opening writes (the schema record) and cleans up after writes a closed
  // tab interrupted: it must not run while another tab writes.
  const store = new Store((await withLock(name, "write", () => call(OP.storeOpen, w))).uvarint(), name);
  try {
    await store.startRelay();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}

/** Deletes the IndexedDB store named name and all its data (closing open connections to it). */
export async function deleteIndexedDBStore(name) {
  if (typeof name !== "string") throw invalid("the store name must be a string");
  const w = new Writer(name.length * 3 + 8);
  w.string(name);
  await withLock(name, "write", () => call(OP.storeDeleteIndexedDB, w));
}

// ---- Tabs and storage ----
// One writer at a time per IndexedDB store across the tabs (and workers) of
// an origin, through Web Locks; where navigator.locks is missing (Node,
// old browsers) only this realm's ordering applies.

const LOCK_PREFIX = "willow-web:";

function webLocks() {
  const l = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return l && typeof l.request === "function" ? l : null;
}

function withLock(name, kind, fn) {
  const l = name === null || kind === "none" ? null : webLocks();
  if (!l) return fn();
  if (kind === "write") return l.request(LOCK_PREFIX + name, { mode: "exclusive" }, fn);
  return l.request(LOCK_PREFIX + name + "#commit", { mode: "shared" }, fn);
}

function storageManager(method) {
  const s = typeof navigator !== "undefined" ? navigator.storage : undefined;
  if (!s || typeof s[method] !== "function") {
    throw new WillowError("unsupported", `navigator.storage.${method} is not available here`);
  }
  return s;
}

/**
 * Asks the browser to keep this origin's storage (every IndexedDB store)
 * when it runs short of space (navigator.storage.persist()); resolves with
 * whether it is persistent now. Browsers may ask the user or decide by
 * engagement. Window only; elsewhere it rejects with `unsupported`.
 */
export async function requestPersistentStorage() {
  return Boolean(await storageManager("persist").persist());
}

/**
 * The origin's storage usage and quota in bytes (navigator.storage.estimate();
 * browsers round and pad the figures). Rejects with `unsupported` where the
 * API is missing.
 */
export async function storageEstimate() {
  const e = await storageManager("estimate").estimate();
  return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
}

// ---- Willow URIs ----
// Parsed and formatted by core/uri in the module, never by the WHATWG URL
// parser (which resolves %2E%2E and a trailing ".." differently).

function writeUri(w, u) {
  if (!u || (u.kind !== "entry" && u.kind !== "area")) throw invalid('a Willow URI object has kind "entry" or "area"');
  w.u8(u.kind === "entry" ? 0 : 1);
  w.raw(checkBytes(u.namespace, 32, "namespace"));
  w.raw(checkBytes(u.subspace, 32, "subspace"));
  writePath(w, u.path);
  if (u.kind === "entry") {
    w.bool(u.digest != null);
    if (u.digest != null) w.raw(checkBytes(u.digest, 32, "digest"));
    w.bool(u.from != null);
    if (u.from != null) w.u64(checkU64(u.from, "from"));
    w.bool(u.to != null);
    if (u.to != null) w.u64(checkU64(u.to, "to"));
  } else {
    const times = u.times ?? new TimeRange(0n);
    if (!(times instanceof TimeRange)) throw invalid("times must be a TimeRange");
    writeTimes(w, times);
    w.u64(checkU64(u.maxCount ?? UNLIMITED, "maxCount"));
    w.u64(checkU64(u.maxSize ?? UNLIMITED, "maxSize"));
  }
  const hints = u.hints ?? [];
  if (!Array.isArray(hints)) throw invalid("hints must be an array of strings");
  w.uvarint(hints.length);
  for (const h of hints) {
    if (typeof h !== "string") throw invalid("hints must be an array of strings");
    w.string(h);
  }
  w.bool(u.fragment != null);
  if (u.fragment != null) {
    if (typeof u.fragment !== "string") throw invalid("fragment must be a string");
    w.string(u.fragment);
  }
}

function readUri(r) {
  const kind = r.u8() === 0 ? "entry" : "area";
  const namespace = r.raw(32).slice();
  const subspace = r.raw(32).slice();
  const path = readPath(r);
  const u = { kind, namespace, subspace, path };
  if (kind === "entry") {
    if (r.bool()) u.digest = r.raw(32).slice();
    if (r.bool()) u.from = r.u64();
    if (r.bool()) u.to = r.u64();
  } else {
    u.times = readTimes(r);
    u.maxCount = r.u64();
    u.maxSize = r.u64();
  }
  const n = r.uvarint();
  u.hints = [];
  for (let i = 0; i < n; i++) u.hints.push(r.string());
  if (r.bool()) u.fragment = r.string();
  return u;
}

/**
 * Parses a Willow URI (entry or area) into a plain object; rejects with
 * invalid_uri (the message says what and at which byte).
 */
export async function parseUri(text) {
  if (typeof text !== "string") throw invalid("parseUri takes a string");
  const w = new Writer(text.length * 3 + 8);
  w.string(text);
  return readUri(await call(OP.uriParse, w));
}

/** The canonical string of a Willow URI object; rejects with invalid_uri if it has none. */
export async function formatUri(uri) {
  const w = new Writer(256);
  writeUri(w, uri);
  return (await call(OP.uriFormat, w)).string();
}

/**
 * The entry URI of an entry (with its payload digest unless withDigest is
 * false): the link that stops resolving once the entry is overwritten.
 */
export async function entryUri(entry, { withDigest = true, from, to } = {}) {
  if (!(entry instanceof Entry)) throw invalid("entryUri takes an Entry");
  const u = { kind: "entry", namespace: entry.namespaceId, subspace: entry.subspaceId, path: entry.path };
  if (withDigest) u.digest = entry.payloadDigest;
  if (from !== undefined) u.from = from;
  if (to !== undefined) u.to = to;
  return formatUri(u);
}

// ---- Sealed drops (age) ----

/** age1… strings (kind 0, of subspace ids) or AGE-SECRET-KEY-1… strings (kind 1, of subspace secrets). */
async function deriveAgeKeys(kind, keys) {
  const w = new Writer(8 + 32 * keys.length);
  w.u8(kind);
  w.uvarint(keys.length);
  for (const k of keys) w.raw(checkBytes(k, 32, kind === 0 ? "subspace id" : "subspace secret"));
  const r = await call(OP.ageKeys, w);
  return keys.map(() => r.string());
}

/** The age recipient (age1…) of a subspace id: what sealing "to that subspace" encrypts to. */
export async function ageRecipient(subspaceId) {
  return (await deriveAgeKeys(0, [subspaceId]))[0];
}

/** The age identity (AGE-SECRET-KEY-1…) of a subspace secret, as an age identity file holds it. */
export async function ageIdentity(subspaceSecret) {
  return (await deriveAgeKeys(1, [subspaceSecret]))[0];
}

/** Seals a stream of drop bytes to recipients; the age file, as a stream. */
export function sealDrop(stream, recipients) {
  return sealStream(stream, recipients, deriveAgeKeys);
}

/** Opens a sealed drop (bytes, a stream or an iterable of chunks); the plaintext drop, as a stream. */
export function openDrop(source, identities) {
  checkDropSource(source);
  return openStream(chunksOf(source), identities, deriveAgeKeys);
}
