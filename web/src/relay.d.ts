/**
 * The drop relay client, exported from the package as the namespace `relay`:
 * `relay.upload`, `relay.list`, `relay.listAll`, `relay.download`,
 * `relay.delete`. It speaks the relay's API v1 (`relay/README.md` in the
 * repository): every request carries the capability, a timestamp and the
 * capability receiver's ed25519 signature over
 * `"willow-relay/v1 request" 0x00 METHOD 0x0A TARGET 0x0A TIMESTAMP 0x0A WILLIAM3(body)`.
 * Everything needs init(). Works wherever `fetch` does (browsers, Node 20+).
 *
 * @packageDocumentation
 */

import type { Capability, DropSource, Store } from "./index.js";

/** Where and as whom to talk to a relay. */
export interface RelayAccess {
  /**
   * The relay's base URL, e.g. `"http://127.0.0.1:8787"` (a path prefix is
   * kept: requests go to `{url}/v1/namespaces/{namespace}/drops`).
   */
  url: string | URL;
  /**
   * The capability: read for list/download, write for upload/delete. Its
   * granted namespace is the namespace the requests are about.
   */
  capability: Capability;
  /** The secret (32-byte seed) of the capability's receiver; it signs every request. */
  secret: Uint8Array;
  /** A fetch to use instead of `globalThis.fetch` (same contract). */
  fetch?: typeof globalThis.fetch;
}

/** A stored drop, as the relay lists it. */
export interface RelayDropRecord {
  /** The drop id: WILLIAM3 of the drop's bytes, 64 lower-case hex digits. */
  id: string;
  /** The drop's length in bytes. */
  size: number;
  /** The uploader: the subspace id (64 hex digits) of the write capability's receiver. */
  uploader: string;
  /** Upload time, Unix milliseconds (the relay's clock). */
  time: number;
  /** Whether the drop is sealed (age): stored opaque, unverified by the relay. */
  sealed: boolean;
}

/** What {@link upload} resolves with. */
export interface RelayUploadResult extends RelayDropRecord {
  /** False when the relay held these bytes already (then the record is the first upload's). */
  created: boolean;
}

/** One page of {@link list}. */
export interface RelayListPage {
  /** Records in increasing id order. */
  drops: RelayDropRecord[];
  /** Pass as `after` for the next page; absent on the last page. Opaque. */
  next?: string;
}

/**
 * Progress of {@link upload} and {@link download}. Events come in phase order
 * (`reading`, `sending` for uploads; `receiving` for downloads) with `bytes`
 * never decreasing within a phase.
 *
 * - `reading`: bytes read from the source and hashed (WILLIAM3), after every
 *   chunk (≤ 1 MiB). The whole body must be hashed before the request can be
 *   signed, so this is the long part of an upload you can watch.
 * - `sending`: `bytes` 0 when the request starts and `total` once the relay
 *   has answered. fetch reports nothing in between: a request body cannot be
 *   observed (streaming request bodies need HTTP/2 in browsers and give up
 *   Content-Length, which the relay uses to refuse oversize drops early).
 * - `receiving`: drop bytes that have arrived, after every chunk.
 */
export interface RelayProgress {
  phase: "reading" | "sending" | "receiving";
  bytes: number;
  /** The total, when known (a Uint8Array or Blob source; a download's Content-Length). */
  total?: number;
}

/** Options of {@link upload} and {@link download}. */
export interface RelayTransferOptions {
  onProgress?: (progress: RelayProgress) => void;
  /** Aborts the transfer: rejects (or errors the download stream) with WillowError `aborted`. */
  signal?: AbortSignal;
}

/**
 * Every WillowError code of the relay client. `relay_` + a code of the
 * relay's JSON errors (`relay/errors.go`; the error's `status` is the HTTP
 * status), and four of the client's own:
 * `relay_unreachable` (fetch failed: network, DNS, CORS),
 * `relay_error` (an answer without a known JSON error code, e.g. from a proxy),
 * `relay_digest_mismatch` (downloaded bytes do not hash to the drop id).
 * Aborts are `aborted`; a secret that is not the capability receiver's is `wrong_secret`.
 */
export type RelayErrorCode =
  /** 400: malformed URL, query or header. */
  | "relay_bad_request"
  /** 400: the namespace id in the path does not parse. */
  | "relay_bad_namespace"
  /** 400: the drop id in the path does not parse. */
  | "relay_bad_drop_id"
  /** 401: a Willow-* header is missing. */
  | "relay_missing_auth"
  /** 401: the capability does not decode. */
  | "relay_bad_capability"
  /** 401: the capability is not valid (signatures, delegation chain). */
  | "relay_invalid_capability"
  /** 401: the request signature does not verify. */
  | "relay_bad_signature"
  /** 401: Willow-Timestamp is malformed. */
  | "relay_bad_timestamp"
  /** 401: this clock is more than the relay's window (default 5 minutes) away from the relay's. */
  | "relay_stale_timestamp"
  /** 403: the capability is for another namespace. */
  | "relay_wrong_namespace"
  /** 403: a read capability where a write one is needed, or the reverse. */
  | "relay_wrong_access_mode"
  /** 403: only the uploader may delete a drop. */
  | "relay_not_uploader"
  /** 403: an entry of the drop is not authorised by its token. */
  | "relay_unauthorised_entry"
  /** 403: an entry lies outside the uploader's granted area or namespace. */
  | "relay_entry_outside_area"
  /** 404: no such drop (or route). */
  | "relay_not_found"
  /** 405. */
  | "relay_method_not_allowed"
  /** 409: the signed request was used before, and re-signing for three later seconds did not help. */
  | "relay_replayed_request"
  /** 413: the drop exceeds the relay's per-drop limit. */
  | "relay_body_too_large"
  /** 413: the drop would exceed the namespace's total limit. */
  | "relay_namespace_full"
  /** 422: the drop is malformed. */
  | "relay_invalid_drop"
  /** 422: the drop ends before its terminator. */
  | "relay_truncated_drop"
  /** 429: the uploader has the maximum number of drops in the namespace. */
  | "relay_quota_exceeded"
  /** 503: the relay's storage failed; nothing was stored. */
  | "relay_storage_error"
  /** 500: a bug in the relay. */
  | "relay_internal_error"
  /** fetch failed (network, DNS, CORS) before an answer arrived. */
  | "relay_unreachable"
  /** An answer without a JSON error code the client knows (a proxy, a newer relay). */
  | "relay_error"
  /** The downloaded bytes do not hash (WILLIAM3) to the drop id. */
  | "relay_digest_mismatch";

/**
 * Uploads a drop under a write capability for its namespace. A plaintext drop
 * is verified by the relay (every entry authorised and inside the
 * capability's granted area) before it is stored; a sealed one is stored
 * opaque. The source is read and hashed in full before the request is signed
 * (its digest is part of the signature); a stream's chunks are kept (as a
 * Blob) until the request is sent. Uploading stored bytes again resolves with
 * `created: false`.
 * @throws WillowError `relay_*` (see {@link RelayErrorCode}), `aborted`, `wrong_secret`, `invalid_argument`
 */
export function upload(access: RelayAccess, source: DropSource | Blob, options?: RelayTransferOptions): Promise<RelayUploadResult>;

/**
 * One page of the namespace's drops (read capability).
 * @param options.after the `next` of the previous page
 * @param options.limit records per page, 1…1000 (relay default 100)
 */
export function list(access: RelayAccess, options?: { after?: string; limit?: number; signal?: AbortSignal }): Promise<RelayListPage>;

/** Every drop of the namespace, following pages of 1000 (read capability). */
export function listAll(access: RelayAccess, options?: { signal?: AbortSignal }): Promise<RelayDropRecord[]>;

/**
 * Downloads a drop (read capability). Resolves once the relay has answered
 * (refusals reject: `relay_not_found`, …) with the drop as a stream of chunks
 * as they arrive, ready for {@link Store.ingestDrop}. The bytes are hashed on
 * the way; if they do not hash to `id` the stream errors at its end with
 * `relay_digest_mismatch` (so ingestDrop writes nothing).
 * @param id the drop id: 64 hex digits or its 32 bytes
 */
export function download(access: RelayAccess, id: string | Uint8Array, options?: RelayTransferOptions): Promise<ReadableStream<Uint8Array>>;

/** Deletes a drop you uploaded (write capability whose receiver is the uploader). @throws WillowError `relay_not_uploader`, `relay_not_found`, … */
declare function _delete(access: RelayAccess, id: string | Uint8Array, options?: { signal?: AbortSignal }): Promise<void>;
export { _delete as delete };
