/**
 * willow-web: the Willow protocol with the Willow'25 parameters, implemented
 * in Go and compiled to WebAssembly, behind this typed API.
 *
 * Byte values are `Uint8Array`s; timestamps, payload lengths and limits are
 * `bigint`s. Every failure is a {@link WillowError} with a stable `code`.
 * Call {@link init} once before anything marked "needs init()".
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------- errors

/** Every error code of the package. Codes are stable; messages are not. */
export type WillowErrorCode =
  /** An argument has the wrong type, length or value. */
  | "invalid_argument"
  /** A path exceeds a Willow'25 limit (4096 components, 4096 bytes per component or in total). */
  | "path_limit"
  /** A range, area or area of interest would include nothing. */
  | "empty_grouping"
  /** A path does not prefix the path it should prefix. */
  | "not_prefix"
  /** An area is not included in the reference area of a relative encoding. */
  | "not_included"
  /** An encoding ended early. */
  | "truncated"
  /** An encoding is valid but not the canonic one. */
  | "non_canonic"
  /** A decoded value exceeds a Willow'25 limit. */
  | "over_limit"
  /** The bytes encode no value. */
  | "invalid_encoding"
  /** Bytes are left after a complete encoding. */
  | "trailing_bytes"
  /** A communal capability for an owned namespace, or the reverse. */
  | "namespace_kind"
  /** An owned capability's initial authorisation does not verify under the namespace key. */
  | "invalid_initial_authorisation"
  /** A delegation's signature does not verify. */
  | "invalid_delegation_signature"
  /** A delegated area is not included in the area granted before it. */
  | "area_not_included"
  /** A read capability was used to authorise a write. */
  | "not_write_capability"
  /** The capability (or store namespace) is for another namespace than the entry. */
  | "namespace_mismatch"
  /** The capability's granted area does not include the entry. */
  | "entry_outside_area"
  /** The token's signature over the entry does not verify under the capability's receiver. */
  | "invalid_entry_signature"
  /** A secret key is not the one the operation needs (the receiver's, or the namespace's). */
  | "wrong_secret"
  /** A value lies outside the domain of an encoding. */
  | "not_encodable"
  /** A store, hasher, query or subscription was closed, or the module was shut down. */
  | "closed"
  /** The store holds no such entry. */
  | "no_such_entry"
  /** Payload bytes do not match the entry's digest or length. */
  | "payload_mismatch"
  /** The store lacks some of the requested payload bytes. */
  | "payload_missing"
  /** A drop is malformed (bad item header, bad slice, oversized item). */
  | "drop_malformed"
  /** An entry in a drop is not authorised by its token. */
  | "drop_unauthorised"
  /** The platform lacks what the operation needs (IndexedDB or Web Workers in Node). */
  | "unsupported"
  /** The operation was aborted through its AbortSignal. */
  | "aborted"
  /** The storage backend is full; nothing was written. */
  | "quota_exceeded"
  /** The storage backend holds bytes the store never wrote. */
  | "store_corrupt"
  /** The storage backend holds data of another schema version. */
  | "store_schema"
  /** Something was called before init() resolved. */
  | "not_initialised"
  /** Loading or starting the WebAssembly module failed. */
  | "init_failed"
  /** The Worker running the module failed. */
  | "worker_failed"
  /** The module does not know the request (version skew between willow.wasm and this package). */
  | "unknown_op"
  /** A string is not a Willow URI, or a URI object has no canonical string (the message says what and at which byte). */
  | "invalid_uri"
  /** The store holds no entry at the URI's namespace, subspace and path. */
  | "not_found"
  /** The store holds an entry at the URI's path, but with another payload digest than the URI names: the linked entry was overwritten. */
  | "overwritten"
  /** The store lacks some of the payload bytes the URI selects (nothing is returned). */
  | "missing_data"
  /** No identity given opens the sealed drop (or none was given for a sealed drop). */
  | "no_matching_identity"
  /** The sealed drop is sealed to a passphrase, and the passphrase given is wrong. */
  | "wrong_passphrase"
  /** A sealed drop's header or a chunk fails authentication, or the file was cut off. */
  | "tampered"
  /** Neither a sealed nor a plaintext drop, or a sealed file whose plaintext is not a drop. */
  | "not_a_drop"
  /** openDrop was given a plaintext drop. */
  | "not_sealed"
  /** A subspace id is not usable as an encryption key (no honest ed25519 public key is such an id). */
  | "bad_key"
  /** A bug; the message says more. */
  | "internal"
  /** The drop relay client's codes: `relay_` + the relay's code, and a few of its own. */
  | import("./relay.js").RelayErrorCode;

/** The one error class of willow-web. Branch on `code`, not on `message`. */
export class WillowError extends Error {
  constructor(code: WillowErrorCode, message: string, options?: ErrorOptions);
  /** The stable error code. */
  readonly code: WillowErrorCode;
  readonly name: "WillowError";
  /** The HTTP status, on errors answered by a drop relay (`relay_*` codes). */
  readonly status?: number;
}

/** The drop relay client: see relay.d.ts. */
export * as relay from "./relay.js";

// ---------------------------------------------------------------- init

/** Where init() gets the WebAssembly module from. */
export type WasmSource =
  | string
  | URL
  | Response
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module
  | Promise<string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module>;

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * Run the module in a dedicated Worker (the default in browsers) or on the
   * calling thread (`false`; the default, and the only choice, in Node).
   */
  worker?: boolean;
}

/** What {@link init} resolves with. */
export interface InitInfo {
  /** Where the module runs. */
  mode: "worker" | "thread";
  /** The Go version that built willow.wasm. */
  goVersion: string;
  /** The byte protocol version (wasm/PROTOCOL.md). */
  protocolVersion: number;
}

/**
 * Loads, compiles and starts the WebAssembly module. Without a source it
 * loads `new URL("./willow.wasm", import.meta.url)` (bundlers emit the file).
 * Later calls return the first call's promise until {@link shutdown}.
 */
export function init(source?: WasmSource, options?: InitOptions): Promise<InitInfo>;

/** Stops the module (terminating its Worker); init() may be called again. */
export function shutdown(): void;

// ---------------------------------------------------------------- paths

/** The Willow'25 maximum length of a path component in bytes (4096). */
export const MAX_COMPONENT_LENGTH: number;
/** The Willow'25 maximum number of components of a path (4096). */
export const MAX_COMPONENT_COUNT: number;
/** The Willow'25 maximum total length of a path's components in bytes (4096). */
export const MAX_PATH_LENGTH: number;

/** A Willow path: an immutable sequence of byte-string components. Needs no init(). */
export class Path {
  private constructor();
  /**
   * The path of the given components: strings are UTF-8 encoded, bytes copied.
   * @throws WillowError `path_limit`, `invalid_argument`
   */
  static from(...components: Array<string | Uint8Array>): Path;
  /** The empty path. */
  static empty(): Path;
  /** The components (views: do not modify them). */
  readonly components: readonly Uint8Array[];
  /** The number of components. */
  readonly length: number;
  /** The sum of the component lengths in bytes. */
  readonly totalLength: number;
  /** Component i (a view: do not modify it). */
  component(i: number): Uint8Array;
  /** The path of the first n components. */
  prefix(n: number): Path;
  /** This path with one more component. @throws WillowError `path_limit` */
  append(component: string | Uint8Array): Path;
  /** This path followed by other's components. @throws WillowError `path_limit` */
  concat(other: Path): Path;
  /** The number of leading components shared with other. */
  commonPrefixLength(other: Path): number;
  /** Whether this path prefixes other (every path prefixes itself). */
  isPrefixOf(other: Path): boolean;
  /** Whether other prefixes this path. */
  isPrefixedBy(other: Path): boolean;
  /** Whether one of the two paths prefixes the other. */
  isRelatedTo(other: Path): boolean;
  /** Whether both paths have the same components. */
  equals(other: Path): boolean;
  /** Path order (by component, bytewise; a prefix first): -1, 0 or 1. */
  compare(other: Path): -1 | 0 | 1;
  /** `/comp/comp`, with bytes outside printable ASCII (and `/`, `%`) as `%XX`; `<empty>` for the empty path. */
  toString(): string;
}

// ---------------------------------------------------------------- groupings

/** A range `[start, end)` with end > start, or `[start, ∞)` when `end` is undefined. */
export interface Range<T> {
  /** The least included value. */
  readonly start: T;
  /** The exclusive end, or undefined for an open range. */
  readonly end: T | undefined;
  /** Whether the range has no end. */
  readonly isOpen: boolean;
  /** Whether v lies in the range. */
  includes(v: T): boolean;
  /** Whether every value of other lies in this range. */
  includesRange(other: Range<T>): boolean;
  /** Whether both ranges include the same values. */
  equals(other: Range<T>): boolean;
}

/** A range of timestamps. Needs no init(). */
export class TimeRange implements Range<bigint> {
  /** `[start, end)`, or `[start, ∞)` without end. @throws WillowError `empty_grouping` unless end > start */
  constructor(start: bigint, end?: bigint);
  /** `[0, ∞)`. */
  static full(): TimeRange;
  /** `[start, end)`. @throws WillowError `empty_grouping` unless end > start */
  static closed(start: bigint, end: bigint): TimeRange;
  /** `[start, ∞)`. */
  static open(start: bigint): TimeRange;
  readonly start: bigint;
  readonly end: bigint | undefined;
  readonly isOpen: boolean;
  includes(v: bigint): boolean;
  includesRange(other: Range<bigint>): boolean;
  equals(other: Range<bigint>): boolean;
  /** The timestamps in both ranges, or null. */
  intersect(other: TimeRange): TimeRange | null;
}

/** A range of subspace ids, ordered bytewise. Needs no init(). */
export class SubspaceRange implements Range<Uint8Array> {
  /** @throws WillowError `empty_grouping` unless end > start, `invalid_argument` for ids that are not 32 bytes */
  constructor(start: Uint8Array, end?: Uint8Array);
  readonly start: Uint8Array;
  readonly end: Uint8Array | undefined;
  readonly isOpen: boolean;
  includes(v: Uint8Array): boolean;
  includesRange(other: Range<Uint8Array>): boolean;
  equals(other: Range<Uint8Array>): boolean;
  /** The ids in both ranges, or null. */
  intersect(other: SubspaceRange): SubspaceRange | null;
}

/** A range of paths, in path order. Needs no init(). */
export class PathRange implements Range<Path> {
  /** @throws WillowError `empty_grouping` unless end > start */
  constructor(start: Path, end?: Path);
  readonly start: Path;
  readonly end: Path | undefined;
  readonly isOpen: boolean;
  includes(v: Path): boolean;
  includesRange(other: Range<Path>): boolean;
  equals(other: Range<Path>): boolean;
  /** The paths in both ranges, or null. */
  intersect(other: PathRange): PathRange | null;
}

/** The parts of an {@link Area}; omitted parts select everything. */
export interface AreaInit {
  /** One subspace id, or null (the default) for any subspace. */
  subspace?: Uint8Array | null;
  /** Entries whose paths this path prefixes (default: the empty path, i.e. all). */
  path?: Path;
  /** The timestamps (default: all). */
  times?: TimeRange;
}

/** An Area: one subspace or any, the paths a path prefixes, and a time range. Needs no init(). */
export class Area {
  constructor(init?: AreaInit);
  /** The area of every entry. */
  static full(): Area;
  /** The area of every entry of one subspace. */
  static subspace(id: Uint8Array): Area;
  /** The subspace, or null for any. */
  readonly subspace: Uint8Array | null;
  readonly path: Path;
  readonly times: TimeRange;
  /** Whether the entry lies in the area. */
  includes(entry: Entry): boolean;
  /** Whether every entry of other lies in this area. */
  includesArea(other: Area): boolean;
  /** The area of the entries in both, or null. */
  intersect(other: Area): Area | null;
  /** Whether both areas include the same entries. */
  equals(other: Area): boolean;
}

/** `2^64 − 1`: the "no limit" value of maxCount and maxSize. */
export const UNLIMITED: bigint;

/** An area with limits on how many of its newest entries, and how many payload bytes, are of interest. Needs no init(). */
export class AreaOfInterest {
  /** @throws WillowError `empty_grouping` for maxCount 0 */
  constructor(area: Area, limits?: { maxCount?: bigint; maxSize?: bigint });
  readonly area: Area;
  /** At most this many of the area's newest entries ({@link UNLIMITED} by default). */
  readonly maxCount: bigint;
  /** At most this many payload bytes, summed newest first ({@link UNLIMITED} by default). */
  readonly maxSize: bigint;
  /** Whether the entry lies in the area (the limits depend on a store's contents). */
  includes(entry: Entry): boolean;
  /** The intersection of the areas with the smaller limits, or null. */
  intersect(other: AreaOfInterest): AreaOfInterest | null;
}

// ---------------------------------------------------------------- time

/** The current time as a Willow'25 timestamp: TAI microseconds since J2000 (as Go's entry.Now). Needs no init(). */
export function now(): bigint;
/** The timestamp of a UTC instant in microseconds since the Unix epoch. @throws WillowError `invalid_argument` before J2000 */
export function timestampFromUnixMicros(unixMicros: bigint): bigint;
/** The timestamp of a Date. @throws WillowError `invalid_argument` before J2000 */
export function timestampFromDate(date: Date): bigint;
/** The Date of a timestamp (millisecond precision). */
export function dateFromTimestamp(timestamp: bigint): Date;

// ---------------------------------------------------------------- entries

/** The fields of an {@link Entry}. */
export interface EntryInit {
  /** 32 bytes. */
  namespaceId: Uint8Array;
  /** 32 bytes. */
  subspaceId: Uint8Array;
  path: Path;
  /** TAI microseconds since J2000 (see {@link now}). */
  timestamp: bigint;
  payloadLength: bigint;
  /** WILLIAM3 of the payload, 32 bytes. */
  payloadDigest: Uint8Array;
}

/** The metadata of one write. Treat it as immutable. The methods need no init(). */
export class Entry implements EntryInit {
  /** @throws WillowError `invalid_argument` for wrong lengths or types */
  constructor(init: EntryInit);
  /** A builder that hashes the payload for you. */
  static builder(): EntryBuilder;
  readonly namespaceId: Uint8Array;
  readonly subspaceId: Uint8Array;
  readonly path: Path;
  readonly timestamp: bigint;
  readonly payloadLength: bigint;
  readonly payloadDigest: Uint8Array;
  /** Newer: a greater timestamp, then a greater digest, then a greater payload length. */
  isNewerThan(other: Entry): boolean;
  /** Whether inserting this entry removes other by prefix pruning. */
  prunes(other: Entry): boolean;
  /** Whether every field is equal. */
  equals(other: Entry): boolean;
}

/** Builds an {@link Entry}; every setter returns the builder. */
export class EntryBuilder {
  namespaceId(id: Uint8Array): this;
  subspaceId(id: Uint8Array): this;
  path(path: Path): this;
  timestamp(timestamp: bigint): this;
  /** Stamps the current time ({@link now}). */
  now(): this;
  /** The payload: build() hashes it with WILLIAM3 and takes its length. */
  payload(bytes: Uint8Array): this;
  /** A payload known only by its digest and length. */
  payloadDigest(digest: Uint8Array, length: bigint): this;
  /** The entry. Needs init() when a payload must be hashed. @throws WillowError `invalid_argument` for missing fields */
  build(): Promise<Entry>;
}

// ---------------------------------------------------------------- keys

/** An ed25519 key pair: the public key (a namespace or subspace id) and its 32-byte secret seed. */
export interface Keypair {
  /** The public key, 32 bytes. */
  id: Uint8Array;
  /** The secret seed, 32 bytes. Keep it secret. */
  secret: Uint8Array;
}

/** A fresh subspace key pair. Needs init(). */
export function generateSubspaceKeypair(): Promise<Keypair>;
/** A fresh communal namespace key pair (the id's last bit is 0). Needs init(). */
export function generateCommunalNamespaceKeypair(): Promise<Keypair>;
/** A fresh owned namespace key pair (the id's last bit is 1). Needs init(). */
export function generateOwnedNamespaceKeypair(): Promise<Keypair>;
/** The public key of a secret seed. Needs init(). */
export function publicKeyFromSecret(secret: Uint8Array): Promise<Uint8Array>;
/** Whether a namespace id is communal. */
export function isCommunalNamespace(id: Uint8Array): boolean;
/** Whether a namespace id is owned. */
export function isOwnedNamespace(id: Uint8Array): boolean;
/** An ed25519 signature (64 bytes) of message. Needs init(). */
export function sign(secret: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
/** Verifies an ed25519 signature strictly (as Willow'25 requires). Needs init(). */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
/** Verifies many signatures in one call to the module. Needs init(). */
export function verifyBatch(items: ReadonlyArray<{ publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }>): Promise<boolean[]>;

// ---------------------------------------------------------------- WILLIAM3

/** The WILLIAM3 digest (32 bytes) of data. Needs init(). */
export function hash(data: Uint8Array): Promise<Uint8Array>;

/** An incremental WILLIAM3 hasher. */
export class Hasher {
  private constructor();
  /** Queues data (copied at once); returns this. Errors surface at digest(). */
  update(data: Uint8Array): this;
  /** The digest of everything added so far; more data may follow. */
  digest(): Promise<Uint8Array>;
  /** Frees the hasher in the module (also done when it is garbage collected). */
  dispose(): Promise<void>;
}

/** A new incremental WILLIAM3 hasher. Needs init(). */
export function createHasher(): Promise<Hasher>;

// ---------------------------------------------------------------- encodings

/** The canonic EncodePath code. Needs init(). */
export function encodePath(path: Path): Promise<Uint8Array>;
/** The canonic EncodePath codes of many paths, in one call. Needs init(). */
export function encodePaths(paths: readonly Path[]): Promise<Uint8Array[]>;
/** Decodes exactly one canonic EncodePath code. @throws WillowError `truncated`, `non_canonic`, `over_limit`, `invalid_encoding`, `trailing_bytes` */
export function decodePath(code: Uint8Array): Promise<Path>;
/** Decodes many canonic EncodePath codes in one call; an error names the item. */
export function decodePaths(codes: readonly Uint8Array[]): Promise<Path[]>;
/** encode_entry: the canonic EncodeEntry code, the bytes Meadowcap signs. Needs init(). */
export function encodeEntry(entry: Entry): Promise<Uint8Array>;
/** encode_entry of many entries, in one call. Needs init(). */
export function encodeEntries(entries: readonly Entry[]): Promise<Uint8Array[]>;
/** Decodes exactly one canonic EncodeEntry code. @throws WillowError `truncated`, `non_canonic`, `trailing_bytes`, … */
export function decodeEntry(code: Uint8Array): Promise<Entry>;
/** Decodes many canonic EncodeEntry codes in one call; an error names the item. */
export function decodeEntries(codes: readonly Uint8Array[]): Promise<Entry[]>;
/** encode_area_in_area(area, outer). @throws WillowError `not_included` unless outer includes area */
export function encodeAreaInArea(area: Area, outer: Area): Promise<Uint8Array>;
/** Decodes a canonic EncodeAreaInArea code relative to outer. */
export function decodeAreaInArea(code: Uint8Array, outer: Area): Promise<Area>;

// ---------------------------------------------------------------- capabilities

/** Read or write access. */
export type AccessMode = "read" | "write";

/** One step of a delegation chain. */
export interface Delegation {
  /** The area the capability was restricted to. */
  area: Area;
  /** The user it was handed to. */
  user: Uint8Array;
  /** The previous receiver's signature over the handover. */
  signature: Uint8Array;
}

/** A Meadowcap capability, communal or owned, held as its canonic encoding with its parts decoded. */
export class Capability {
  private constructor();
  /** The communal capability of user (a subspace id) in a communal namespace. Needs init(). @throws WillowError `namespace_kind` */
  static communal(namespaceId: Uint8Array, user: Uint8Array, mode?: AccessMode): Promise<Capability>;
  /** The owned capability granting user the whole owned namespace, signed with its secret. Needs init(). @throws WillowError `namespace_kind` */
  static owned(namespaceSecret: Uint8Array, user: Uint8Array, mode?: AccessMode): Promise<Capability>;
  /** An owned capability from an initial authorisation signed elsewhere. @throws WillowError `invalid_initial_authorisation`, `namespace_kind` */
  static fromInitialAuthorisation(namespaceId: Uint8Array, user: Uint8Array, initialAuthorisation: Uint8Array, mode?: AccessMode): Promise<Capability>;
  /** Decodes a canonic encode_mc_capability code; does not verify it (see validate()). */
  static decode(bytes: Uint8Array): Promise<Capability>;
  /** The canonic encode_mc_capability code. */
  readonly bytes: Uint8Array;
  readonly isOwned: boolean;
  readonly accessMode: AccessMode;
  readonly namespaceId: Uint8Array;
  /** The genesis user. */
  readonly user: Uint8Array;
  /** The namespace's signature authorising the user (owned capabilities), else null. */
  readonly initialAuthorisation: Uint8Array | null;
  /** The user the capability now grants access to (the last delegated user, or the genesis user). */
  readonly receiver: Uint8Array;
  /** The area the capability grants access to. */
  readonly grantedArea: Area;
  readonly delegations: readonly Delegation[];
  /**
   * Restricts the capability to area and hands it to newUser, signing the
   * handover with the receiver's secret.
   * @throws WillowError `wrong_secret`, `area_not_included`
   */
  delegate(receiverSecret: Uint8Array, area: Area, newUser: Uint8Array): Promise<Capability>;
  /** Resolves if the capability is valid; else rejects with the reason (`namespace_kind`, `invalid_initial_authorisation`, `invalid_delegation_signature`, `area_not_included`). */
  validate(): Promise<void>;
  /** Whether the capability is valid. */
  isValid(): Promise<boolean>;
}

/** An entry with an (encoded) authorisation token for it. */
export interface AuthorisedEntry {
  entry: Entry;
  /** The encoded authorisation token: encode_mc_capability(capability) ‖ signature (64 bytes). */
  token: Uint8Array;
}

/** A token's parts. */
export interface DecodedToken {
  /** The encoded token. */
  bytes: Uint8Array;
  capability: Capability;
  /** The receiver's signature over encode_entry(entry), 64 bytes. */
  signature: Uint8Array;
}

/**
 * Authorises writing entry with a write capability, signing
 * encode_entry(entry) with the receiver's secret. Needs init().
 * @throws WillowError `not_write_capability`, `namespace_mismatch`, `entry_outside_area`, `wrong_secret`
 */
export function authorise(entry: Entry, capability: Capability, receiverSecret: Uint8Array): Promise<AuthorisedEntry>;
/** Decodes a token without verifying it. */
export function decodeToken(token: Uint8Array): Promise<DecodedToken>;
/** Resolves if token authorises entry; else rejects with the WillowError saying why. */
export function verifyAuthorisation(entry: Entry, token: Uint8Array): Promise<void>;
/** Whether token authorises entry. */
export function isAuthorisedWrite(entry: Entry, token: Uint8Array): Promise<boolean>;
/** Checks many pairs in one call: null for an authorised pair, else the reason. */
export function checkAuthorisedWrites(pairs: readonly AuthorisedEntry[]): Promise<Array<WillowError | null>>;

// ---------------------------------------------------------------- stores

/** What ingesting an entry did, or would do. */
export type IngestResult =
  /** The entry is stored; `pruned` lists the older entries it removed by prefix pruning. */
  | { kind: "inserted"; entry: Entry; pruned: Entry[] }
  /** A newer entry at the same or a prefix path exists; nothing changed. */
  | { kind: "obsolete"; entry: Entry; obsoletedBy: Entry }
  /** The same entry is stored; nothing changed. */
  | { kind: "alreadyPresent"; entry: Entry; existing: Entry };

/** A stored entry with its token. */
export type StoredEntry = AuthorisedEntry;

/** The order of query results. */
export type QueryOrder = "path" | "newestFirst" | "oldestFirst";

/** Options of {@link NamespaceStore.query}. */
export interface QueryOptions {
  /** By subspace then path (default), or by the newer-than order. */
  order?: QueryOrder;
  /** Entries per page fetched from the module (default 256). */
  pageSize?: number;
  /** Only the maxCount newest entries (overrides an AreaOfInterest's). */
  maxCount?: bigint;
  /** Only as many entries, newest first, as fit maxSize payload bytes (overrides an AreaOfInterest's). */
  maxSize?: bigint;
}

/** A change to a stored entry. */
export interface StoreEvent {
  kind: "inserted" | "pruned" | "forgotten" | "payloadChanged";
  entry: Entry;
  /** For "pruned": the entry that pruned it. */
  by?: Entry;
  /**
   * True when the change was made through another handle on the same
   * IndexedDB store (another tab, worker or openIndexedDBStore call) and
   * relayed over a BroadcastChannel.
   */
  remote?: boolean;
}

/** How much of an entry's payload a store holds. */
export interface PayloadInfo {
  state: "none" | "partial" | "complete";
  /** The chunk ranges held (chunks are 1024 bytes). */
  slices: Array<{ start: bigint; count: bigint }>;
}

/** One area of one namespace, for {@link Store.createDrop}. */
export interface NamespacedArea {
  namespace: Uint8Array;
  area: Area;
}

/**
 * A recipient of a sealed drop: a subspace id (32 bytes; sealed to the age
 * X25519 key derived from it, see {@link ageRecipient}), an age X25519
 * recipient string (`age1…`), or a passphrase (which must be the only
 * recipient, as age requires).
 */
export type SealRecipient = Uint8Array | string | { passphrase: string };

/**
 * An identity that opens sealed drops: a subspace secret (32 bytes; see
 * {@link ageIdentity}), an age identity string (`AGE-SECRET-KEY-1…`), or a
 * passphrase.
 */
export type SealIdentity = Uint8Array | string | { passphrase: string };

/**
 * Options of {@link Store.createDrop}. Exactly one of `sealTo` and
 * `plaintext: true` is required: drops are encrypted unless you ask
 * otherwise, and createDrop refuses (`invalid_argument`) to guess.
 */
export type CreateDropOptions = CreateDropCommon & ({ sealTo: readonly SealRecipient[]; plaintext?: false } | { plaintext: true; sealTo?: undefined });

/** Options of {@link Store.createDrop} besides sealing. */
export interface CreateDropCommon {
  /** Leave all payload bytes out. */
  withoutPayloads?: boolean;
  /** Bytes per chunk fetched from the module (default 65536). */
  chunkSize?: number;
}

/** The bytes of a drop: all at once, as a stream, or as an (async) iterable of chunks. */
export type DropSource = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Progress of {@link Store.ingestDrop}. */
export interface DropProgress {
  /** Items ingested so far. */
  items: number;
  /** Drop bytes consumed so far. */
  bytes: bigint;
}

/** Options of {@link Store.ingestDrop}. */
export interface IngestDropOptions {
  /**
   * Identities for a sealed drop (detected by its age header). Without them
   * a sealed drop fails with `no_matching_identity`; plaintext drops need none.
   */
  identities?: readonly SealIdentity[];
  /** Called after every chunk the module consumed (bytes of the plaintext drop). */
  onProgress?: (progress: DropProgress) => void;
  /** Aborts the ingest (WillowError `aborted`); nothing is written. */
  signal?: AbortSignal;
}

/** What an ingested drop did. */
export interface DropResult {
  items: number;
  inserted: number;
  obsolete: number;
  alreadyPresent: number;
  /** Entries removed by prefix pruning. */
  pruned: number;
  /** Payload bytes the drop carried. */
  payloadBytes: bigint;
  /** The drop's length (of the plaintext, for a sealed drop). */
  bytes: bigint;
  /** Whether the drop was sealed (and opened on the way in). */
  sealed: boolean;
}

/**
 * Seals a stream of drop bytes to recipients, in the age format
 * (age-encryption.org/v1): any age implementation opens the result. The
 * `age-encryption` package is loaded on first use (a dynamic import; about
 * 40 KB brotli); encryption streams in age's 64 KiB chunks. Errors surface
 * when the result is read: `invalid_argument` (bad recipient), `not_a_drop`
 * (the input does not begin a drop), `bad_key` (a subspace id that is no
 * usable key), `unsupported` (age-encryption missing).
 */
export function sealDrop(stream: ReadableStream<Uint8Array>, recipients: readonly SealRecipient[]): ReadableStream<Uint8Array>;

/**
 * Opens a sealed drop: the plaintext drop as a stream, decrypted as it is
 * read. Errors surface when the result is read: `no_matching_identity`,
 * `wrong_passphrase`, `tampered` (a bad header MAC or chunk, a cut-off file),
 * `not_a_drop` (the input is no age file, or its plaintext is not a drop),
 * `not_sealed` (the input is a plaintext drop).
 */
export function openDrop(source: DropSource, identities: readonly SealIdentity[]): ReadableStream<Uint8Array>;

/** The age X25519 recipient (`age1…`) of a subspace id; the stock age CLI takes it with `-r`. @throws WillowError `bad_key` */
export function ageRecipient(subspaceId: Uint8Array): Promise<string>;

/** The age identity (`AGE-SECRET-KEY-1…`) of a subspace secret, as an age identity file (`age -d -i`) holds it. */
export function ageIdentity(subspaceSecret: Uint8Array): Promise<string>;

/** One item of a drop, as {@link inspectDrop} describes it. */
export interface InspectedDropItem {
  index: number;
  /** Byte offset of the item in the drop. */
  offset: bigint;
  entry: Entry;
  /** The encoded authorisation token. */
  token: Uint8Array;
  /** Whether the token authorises the entry. */
  authorised: boolean;
  /** Why not, when not authorised. */
  error: WillowError | null;
  /** The payload chunk ranges the item carries (verified against the digest). */
  slices: Array<{ start: bigint; count: bigint }>;
}

/**
 * Decodes a drop and describes every item. Rejects on structural errors
 * (`truncated`, `drop_malformed`, `trailing_bytes`) and payload mismatches
 * (`payload_mismatch`); unauthorised items are reported, not rejected. Needs init().
 */
export function inspectDrop(source: DropSource): Promise<InspectedDropItem[]>;

/** A subscription to store events. */
export interface Subscription {
  /** Ends the subscription. */
  cancel(): Promise<void>;
}

/** A Willow store of entries of any number of namespaces. */
export class Store {
  private constructor();
  /**
   * Verifies and ingests authorised entries atomically: if any token does not
   * authorise its entry nothing is written, and the WillowError (e.g.
   * `invalid_entry_signature`, `truncated`) names the item.
   */
  ingest(item: AuthorisedEntry): Promise<IngestResult>;
  ingest(items: readonly AuthorisedEntry[]): Promise<IngestResult[]>;
  /**
   * A drop of every entry in the areas (each once) with the payload bytes the
   * store holds, as a stream of chunks. The drop is written when the stream
   * is first read and held in the module until read or cancelled. With
   * `sealTo` the stream is the sealed drop (an age file, see
   * {@link sealDrop}); `plaintext: true` asks for an unencrypted drop. With
   * neither, createDrop throws `invalid_argument`.
   */
  createDrop(areas: readonly NamespacedArea[], options: CreateDropOptions): ReadableStream<Uint8Array>;
  /**
   * Joins a drop into the store atomically: every token and payload slice is
   * verified; on any problem or abort nothing is written (`drop_unauthorised`,
   * `payload_mismatch`, `truncated`, `drop_malformed`, `trailing_bytes`,
   * `aborted`). Other operations on the store wait until the drop is in. A
   * sealed drop (age header) is opened with `identities` as it streams in
   * (`no_matching_identity`, `wrong_passphrase`, `tampered`, `not_a_drop`).
   */
  ingestDrop(source: DropSource, options?: IngestDropOptions): Promise<DropResult>;
  /**
   * Resolves a Willow URI (a string, parsed in the module, or a
   * {@link WillowUri} object) against this store. An entry URI resolves to
   * the entry and, when it selects bytes (`from`/`to`), the payload slice,
   * clamped to the payload as the URI spec says (an index past the end is
   * the end; `from > to` selects nothing). An area URI resolves to its
   * entries, newest first, within its count and size limits.
   * @throws WillowError `invalid_uri`, `not_found`, `overwritten` (the entry
   * at that path has another digest than the link names), `missing_data`
   * (the store lacks some selected payload bytes)
   */
  resolve(uri: string | WillowUri): Promise<Resolved>;
  /** The operations on one namespace. */
  namespace(id: Uint8Array): NamespaceStore;
  /** Closes the store and its subscriptions; later calls fail with `closed`. */
  close(): Promise<void>;
}

/** One namespace of a {@link Store}. */
export class NamespaceStore {
  private constructor();
  /** The namespace id. */
  readonly id: Uint8Array;
  /** Ingests authorised entries of this namespace (see {@link Store.ingest}). @throws WillowError `namespace_mismatch` */
  ingest(item: AuthorisedEntry): Promise<IngestResult>;
  ingest(items: readonly AuthorisedEntry[]): Promise<IngestResult[]>;
  /** {@link Store.resolve} for a URI of this namespace. @throws WillowError `namespace_mismatch` and those of Store.resolve */
  resolve(uri: string | WillowUri): Promise<Resolved>;
  /** What ingesting entry would do now, changing nothing; needs no token. */
  preview(entry: Entry): Promise<IngestResult>;
  /** The entry at (subspace, path) with its token, or null. */
  get(subspace: Uint8Array, path: Path): Promise<StoredEntry | null>;
  /**
   * The entries of an area (of interest), fetched page by page. The results
   * are those of the store when the first page was fetched. Breaking out of
   * the loop frees the query.
   */
  query(area: Area | AreaOfInterest, options?: QueryOptions): AsyncGenerator<StoredEntry, void, undefined>;
  /** query() collected into an array. */
  entries(area: Area | AreaOfInterest, options?: QueryOptions): Promise<StoredEntry[]>;
  /** Removes every entry of the area locally (not a deletion other peers learn of); resolves with the count. */
  forgetArea(area: Area): Promise<number>;
  /** Removes the one entry at (subspace, path) locally; resolves with whether there was one. */
  forgetEntry(subspace: Uint8Array, path: Path): Promise<boolean>;
  /**
   * The payload of the entry at (subspace, path) as a stream, one call to the
   * module per chunk (default 65536 bytes). Errors (`no_such_entry`,
   * `payload_missing`) surface when reading.
   */
  payloadStream(subspace: Uint8Array, path: Path, options?: { chunkSize?: number }): ReadableStream<Uint8Array>;
  /** Stores the complete payload of a stored entry. @throws WillowError `payload_mismatch`, `no_such_entry` */
  writePayload(entry: Entry, payload: Uint8Array): Promise<void>;
  /** Bytes [from, to) (default: all) of the payload at (subspace, path). @throws WillowError `payload_missing`, `no_such_entry` */
  readPayload(subspace: Uint8Array, path: Path, range?: { from?: bigint; to?: bigint }): Promise<Uint8Array>;
  /** How much of the payload at (subspace, path) the store holds. @throws WillowError `no_such_entry` */
  payloadInfo(subspace: Uint8Array, path: Path): Promise<PayloadInfo>;
  /** Calls listener for every committed change to an entry of the area. */
  subscribe(area: Area, listener: (event: StoreEvent) => void): Promise<Subscription>;
}

/**
 * @internal The Go-only baseline of the benchmark (web/bench/bench.mjs):
 * encodes and decodes the entries `rounds` times inside the module without
 * crossing the bridge; resolves with the nanoseconds it took.
 */
export function _benchEntriesInGo(entries: readonly Entry[], rounds: number): Promise<bigint>;

/** Opens a new, empty store in the module's memory. Needs init(). */
export function openMemoryStore(): Promise<Store>;

/**
 * Opens (or creates) the persistent store named name, kept in the IndexedDB
 * database `"willow-web:" + name`; close it with {@link Store.close}.
 * Browsers only (in the Worker or on the calling thread). Needs init().
 * Several tabs may open the same store: writes (ingest, ingestDrop,
 * writePayload, forget…) take the Web Lock `"willow-web:" + name` so that one
 * tab writes at a time, reads keep working meanwhile (they wait only for
 * another tab's commit transaction), and subscriptions see the other tabs'
 * changes (with `remote: true`). Writes resolve once durable in IndexedDB.
 * @throws WillowError `unsupported` where there is no IndexedDB (Node), `quota_exceeded`, `store_schema`
 */
export function openIndexedDBStore(name: string): Promise<Store>;

/**
 * Deletes the IndexedDB store named name and all its data, after any write
 * to it in progress in another tab. Needs init(). @throws WillowError `unsupported`
 */
export function deleteIndexedDBStore(name: string): Promise<void>;

/**
 * Asks the browser to keep this origin's storage (all IndexedDB stores)
 * under storage pressure (`navigator.storage.persist()`); resolves with
 * whether it is persistent now. Browsers may prompt or decide by engagement.
 * @throws WillowError `unsupported` where the API is missing (Node, workers)
 */
export function requestPersistentStorage(): Promise<boolean>;

/**
 * The origin's storage usage and quota in bytes (`navigator.storage.estimate()`,
 * rounded by the browser). Writing past the quota fails with `quota_exceeded`
 * and writes nothing.
 * @throws WillowError `unsupported` where the API is missing
 */
export function storageEstimate(): Promise<{ usage: number; quota: number }>;

// ---------------------------------------------------------------- Willow URIs

/**
 * A parsed entry URI, `willow://<ns>.<ss><path>[?digest=…&from=…&to=…&hints=…][#fragment]`.
 * Optional fields are absent when the URI lacks them.
 */
export interface EntryUri {
  readonly kind: "entry";
  readonly namespace: Uint8Array;
  readonly subspace: Uint8Array;
  /** The entry's path, dot-segments resolved as the Willow URI spec says (not as `new URL` does). */
  readonly path: Path;
  /** The expected payload digest: the URI then names only an entry with exactly this digest. */
  readonly digest?: Uint8Array;
  /** Start of the payload slice (inclusive), as written. Neither from nor to: the URI selects no payload bytes. */
  readonly from?: bigint;
  /** End of the payload slice (exclusive), as written. */
  readonly to?: bigint;
  /** Hints (URIs telling where to get the data), best first; each non-empty. */
  readonly hints?: readonly string[];
  /** The fragment without "#", fragment-encoded as in the URI (formatUri encodes other characters); absent without "#". */
  readonly fragment?: string;
}

/**
 * A parsed area URI, `willow://<ns>.<ss><path>?area[&count=…&size=…&from=…&to=…&hints=…][#fragment]`:
 * an area of interest in one subspace.
 */
export interface AreaUri {
  readonly kind: "area";
  readonly namespace: Uint8Array;
  readonly subspace: Uint8Array;
  /** The area's path prefix. */
  readonly path: Path;
  /** The time range; default [0, ∞). */
  readonly times?: TimeRange;
  /** At most this many entries (newest first); default {@link UNLIMITED}. 0 has no URI. */
  readonly maxCount?: bigint;
  /** At most this many payload bytes; default {@link UNLIMITED}. */
  readonly maxSize?: bigint;
  readonly hints?: readonly string[];
  readonly fragment?: string;
}

/** A Willow URI. */
export type WillowUri = EntryUri | AreaUri;

/**
 * Parses a Willow URI in the module (core/uri). Values are kept as written
 * (e.g. `from > to`); {@link formatUri} writes the canonical form. Parsed
 * area URIs always carry `times`, `maxCount` and `maxSize`.
 * @throws WillowError `invalid_uri` (the message names the problem and its byte offset)
 */
export function parseUri(text: string): Promise<WillowUri>;

/**
 * The canonical string of a Willow URI: fixed parameter order, only the
 * parameters that change the meaning, upper-case percent-encodings.
 * `formatUri(await parseUri(s))` is the canonical form of `s`.
 * @throws WillowError `invalid_uri` (empty hint, maxCount 0, …), `invalid_argument`, `path_limit`, `empty_grouping`
 */
export function formatUri(uri: WillowUri): Promise<string>;

/**
 * The entry URI (link) of an entry; by default with its payload digest, so
 * the link resolves to `overwritten` once a newer entry replaces it.
 */
export function entryUri(entry: Entry, options?: { withDigest?: boolean; from?: bigint; to?: bigint }): Promise<string>;

/** What {@link Store.resolve} found for an entry URI. */
export interface ResolvedEntry {
  readonly kind: "entry";
  readonly entry: Entry;
  readonly token: Uint8Array;
  /** When the URI selects bytes: the clamped slice [from, to) of the payload, and its bytes. */
  readonly from?: bigint;
  readonly to?: bigint;
  readonly payload?: Uint8Array;
}

/** What {@link Store.resolve} found for an area URI: its entries, newest first. */
export interface ResolvedArea {
  readonly kind: "area";
  readonly entries: StoredEntry[];
}

/** The result of {@link Store.resolve}. */
export type Resolved = ResolvedEntry | ResolvedArea;
