// Value types that need no WebAssembly: paths, ranges, areas, entries and
// timestamps. Their logic mirrors core/path, core/grouping and core/entry.

import { WillowError } from "./errors.js";

export const MAX_COMPONENT_LENGTH = 4096;
export const MAX_COMPONENT_COUNT = 4096;
export const MAX_PATH_LENGTH = 4096;
/** The "no limit" value of an area of interest's maxCount and maxSize. */
export const UNLIMITED = 0xffff_ffff_ffff_ffffn;
const U64_MAX = UNLIMITED;

const encoder = new TextEncoder();

export function invalid(message) {
  return new WillowError("invalid_argument", message);
}

/** Checks that x is a Uint8Array of exactly n bytes. */
export function checkBytes(x, n, what) {
  if (!(x instanceof Uint8Array)) throw invalid(`${what} must be a Uint8Array, got ${typeName(x)}`);
  if (n !== undefined && x.length !== n) throw invalid(`${what} must be ${n} bytes, got ${x.length}`);
  return x;
}

/** Checks that x is a bigint in the u64 range. */
export function checkU64(x, what) {
  if (typeof x !== "bigint") throw invalid(`${what} must be a bigint, got ${typeName(x)}`);
  if (x < 0n || x > U64_MAX) throw invalid(`${what} ${x} is outside 0..2^64-1`);
  return x;
}

function typeName(x) {
  if (x === null) return "null";
  if (typeof x === "object") return x.constructor?.name ?? "object";
  return typeof x;
}

/** Bytewise comparison of byte strings. */
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const TRUSTED = Symbol("trusted");

/** A Willow path: an immutable sequence of byte-string components. */
export class Path {
  /** @internal Use Path.from. */
  constructor(components, trusted) {
    if (trusted !== TRUSTED) throw invalid("use Path.from(...) to create a path");
    this.components = components; // never modified after construction
  }

  /** The path of the given components (strings are UTF-8 encoded; bytes are copied). */
  static from(...components) {
    if (components.length > MAX_COMPONENT_COUNT) {
      throw new WillowError("path_limit", `${components.length} components, at most ${MAX_COMPONENT_COUNT}`);
    }
    let total = 0;
    const out = components.map((c, i) => {
      let b;
      if (typeof c === "string") b = encoder.encode(c);
      else if (c instanceof Uint8Array) b = c.slice();
      else throw invalid(`path component ${i} must be a string or Uint8Array, got ${typeName(c)}`);
      if (b.length > MAX_COMPONENT_LENGTH) {
        throw new WillowError("path_limit", `component ${i} has ${b.length} bytes, at most ${MAX_COMPONENT_LENGTH}`);
      }
      total += b.length;
      return b;
    });
    if (total > MAX_PATH_LENGTH) {
      throw new WillowError("path_limit", `${total} bytes in total, at most ${MAX_PATH_LENGTH}`);
    }
    return new Path(out, TRUSTED);
  }

  /** @internal Wraps components known to be valid (from the module). */
  static trusted(components) {
    return new Path(components, TRUSTED);
  }

  /** The empty path. */
  static empty() {
    return EMPTY;
  }

  /** The number of components. */
  get length() {
    return this.components.length;
  }

  /** The sum of the component lengths in bytes. */
  get totalLength() {
    let n = 0;
    for (const c of this.components) n += c.length;
    return n;
  }

  /** Component i (a view: do not modify it). */
  component(i) {
    return this.components[i];
  }

  /** The path of the first n components. */
  prefix(n) {
    if (!Number.isInteger(n) || n < 0 || n > this.length) throw invalid(`prefix length ${n} outside 0..${this.length}`);
    return new Path(this.components.slice(0, n), TRUSTED);
  }

  /** This path with one more component. */
  append(component) {
    return Path.from(...this.components, component);
  }

  /** This path followed by the components of other. */
  concat(other) {
    return Path.from(...this.components, ...other.components);
  }

  /** The number of leading components this path shares with other. */
  commonPrefixLength(other) {
    const n = Math.min(this.length, other.length);
    for (let i = 0; i < n; i++) if (!equalBytes(this.components[i], other.components[i])) return i;
    return n;
  }

  /** Whether this path is a prefix of other (every path prefixes itself). */
  isPrefixOf(other) {
    return this.length <= other.length && this.commonPrefixLength(other) === this.length;
  }

  /** Whether other is a prefix of this path. */
  isPrefixedBy(other) {
    return other.isPrefixOf(this);
  }

  /** Whether one of the two paths prefixes the other. */
  isRelatedTo(other) {
    return this.commonPrefixLength(other) === Math.min(this.length, other.length);
  }

  equals(other) {
    return this.length === other.length && this.commonPrefixLength(other) === this.length;
  }

  /** Orders paths by component, bytewise; a prefix sorts first. Returns -1, 0 or 1. */
  compare(other) {
    const n = this.commonPrefixLength(other);
    if (n < this.length && n < other.length) return compareBytes(this.components[n], other.components[n]);
    return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
  }

  /** Renders /comp/comp with bytes outside printable ASCII (and / and %) as %XX. */
  toString() {
    if (this.length === 0) return "<empty>";
    let s = "";
    for (const c of this.components) {
      s += "/";
      for (const b of c) {
        s += b > 0x20 && b < 0x7f && b !== 0x2f && b !== 0x25 ? String.fromCharCode(b) : "%" + b.toString(16).toUpperCase().padStart(2, "0");
      }
    }
    return s;
  }
}
const EMPTY = new Path([], TRUSTED);

/** A range [start, end) with end > start, or [start, ∞) when end is undefined. */
class Range {
  constructor(start, end, compare, check) {
    check(start, "range start");
    if (end !== undefined && end !== null) {
      check(end, "range end");
      if (compare(end, start) <= 0) throw new WillowError("empty_grouping", "a closed range needs end > start");
    }
    this.start = start;
    this.end = end ?? undefined;
    Object.defineProperty(this, "_cmp", { value: compare });
  }
  /** Whether the range has no end. */
  get isOpen() {
    return this.end === undefined;
  }
  includes(v) {
    return this._cmp(this.start, v) <= 0 && (this.end === undefined || this._cmp(v, this.end) < 0);
  }
  includesRange(other) {
    if (this._cmp(this.start, other.start) > 0) return false;
    if (this.end === undefined) return true;
    return other.end !== undefined && this._cmp(other.end, this.end) <= 0;
  }
  /** The values in both ranges, or null. */
  intersect(other) {
    const start = this._cmp(other.start, this.start) > 0 ? other.start : this.start;
    let end = this.end;
    if (other.end !== undefined && (end === undefined || this._cmp(other.end, end) < 0)) end = other.end;
    if (end !== undefined && this._cmp(end, start) <= 0) return null;
    return new this.constructor(start, end);
  }
  equals(other) {
    return (
      this._cmp(this.start, other.start) === 0 &&
      (this.end === undefined ? other.end === undefined : other.end !== undefined && this._cmp(this.end, other.end) === 0)
    );
  }
}

const cmpBig = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** A range of timestamps (bigint microseconds). */
export class TimeRange extends Range {
  constructor(start, end) {
    super(start, end, cmpBig, checkU64);
  }
  /** [0, ∞): every timestamp. */
  static full() {
    return new TimeRange(0n);
  }
  static closed(start, end) {
    return new TimeRange(start, end);
  }
  static open(start) {
    return new TimeRange(start);
  }
}

/** A range of subspace ids, ordered bytewise. */
export class SubspaceRange extends Range {
  constructor(start, end) {
    super(start, end, compareBytes, (x, w) => checkBytes(x, 32, w));
  }
}

/** A range of paths, in path order. */
export class PathRange extends Range {
  constructor(start, end) {
    super(start, end, (a, b) => a.compare(b), (x, w) => {
      if (!(x instanceof Path)) throw invalid(`${w} must be a Path`);
    });
  }
}

/** An area: one subspace or any, the paths a path prefixes, and a time range. */
export class Area {
  constructor({ subspace = null, path = EMPTY, times = FULL_TIMES } = {}) {
    if (subspace !== null) checkBytes(subspace, 32, "area subspace");
    if (!(path instanceof Path)) throw invalid("area path must be a Path");
    if (!(times instanceof TimeRange)) throw invalid("area times must be a TimeRange");
    this.subspace = subspace;
    this.path = path;
    this.times = times;
  }
  /** The area of every entry. */
  static full() {
    return new Area();
  }
  /** The area of every entry of one subspace. */
  static subspace(id) {
    return new Area({ subspace: id });
  }
  /** Whether the entry lies in the area. */
  includes(entry) {
    return (
      (this.subspace === null || equalBytes(this.subspace, entry.subspaceId)) &&
      this.path.isPrefixOf(entry.path) &&
      this.times.includes(entry.timestamp)
    );
  }
  /** Whether every entry of other lies in this area. */
  includesArea(other) {
    if (this.subspace !== null && (other.subspace === null || !equalBytes(this.subspace, other.subspace))) return false;
    return this.path.isPrefixOf(other.path) && this.times.includesRange(other.times);
  }
  /** The area of the entries in both, or null. */
  intersect(other) {
    let subspace;
    if (this.subspace === null) subspace = other.subspace;
    else if (other.subspace === null || equalBytes(this.subspace, other.subspace)) subspace = this.subspace;
    else return null;
    let path;
    if (this.path.isPrefixOf(other.path)) path = other.path;
    else if (other.path.isPrefixOf(this.path)) path = this.path;
    else return null;
    const times = this.times.intersect(other.times);
    if (times === null) return null;
    return new Area({ subspace, path, times });
  }
  equals(other) {
    return (
      (this.subspace === null ? other.subspace === null : other.subspace !== null && equalBytes(this.subspace, other.subspace)) &&
      this.path.equals(other.path) &&
      this.times.equals(other.times)
    );
  }
}
const FULL_TIMES = new TimeRange(0n);

/** An area with limits on how many of its newest entries, and how many payload bytes, are of interest. */
export class AreaOfInterest {
  constructor(area, { maxCount = UNLIMITED, maxSize = UNLIMITED } = {}) {
    if (!(area instanceof Area)) throw invalid("area of interest needs an Area");
    checkU64(maxCount, "maxCount");
    checkU64(maxSize, "maxSize");
    if (maxCount === 0n) throw new WillowError("empty_grouping", "an area of interest with maxCount 0 includes nothing");
    this.area = area;
    this.maxCount = maxCount;
    this.maxSize = maxSize;
  }
  /** Whether the entry lies in the area (the limits depend on a store's contents). */
  includes(entry) {
    return this.area.includes(entry);
  }
  /** Intersects the areas and keeps the smaller limits; null if the areas are disjoint. */
  intersect(other) {
    const area = this.area.intersect(other.area);
    if (area === null) return null;
    const min = (a, b) => (a < b ? a : b);
    return new AreaOfInterest(area, { maxCount: min(this.maxCount, other.maxCount), maxSize: min(this.maxSize, other.maxSize) });
  }
}

/** The metadata of one write. Treat it as immutable. */
export class Entry {
  constructor(init, ...trusted) {
    if (init === TRUSTED) {
      // From the module: already valid. Same property order as below, so
      // every Entry shares one hidden class.
      this.namespaceId = trusted[0];
      this.subspaceId = trusted[1];
      this.path = trusted[2];
      this.timestamp = trusted[3];
      this.payloadLength = trusted[4];
      this.payloadDigest = trusted[5];
      return;
    }
    const { namespaceId, subspaceId, path, timestamp, payloadLength, payloadDigest } = init ?? {};
    checkBytes(namespaceId, 32, "namespaceId");
    checkBytes(subspaceId, 32, "subspaceId");
    if (!(path instanceof Path)) throw invalid("entry path must be a Path");
    checkU64(timestamp, "timestamp");
    checkU64(payloadLength, "payloadLength");
    checkBytes(payloadDigest, 32, "payloadDigest");
    this.namespaceId = namespaceId;
    this.subspaceId = subspaceId;
    this.path = path;
    this.timestamp = timestamp;
    this.payloadLength = payloadLength;
    this.payloadDigest = payloadDigest;
  }
  /** @internal Builds an entry from trusted parts (no checks). */
  static trusted(namespaceId, subspaceId, path, timestamp, payloadLength, payloadDigest) {
    return new Entry(TRUSTED, namespaceId, subspaceId, path, timestamp, payloadLength, payloadDigest);
  }
  /** Newer: greater timestamp, then greater digest, then greater payload length. */
  isNewerThan(other) {
    if (this.timestamp !== other.timestamp) return this.timestamp > other.timestamp;
    const c = compareBytes(this.payloadDigest, other.payloadDigest);
    if (c !== 0) return c > 0;
    return this.payloadLength > other.payloadLength;
  }
  /** Whether inserting this entry removes other by prefix pruning. */
  prunes(other) {
    return (
      equalBytes(this.namespaceId, other.namespaceId) &&
      equalBytes(this.subspaceId, other.subspaceId) &&
      this.path.isPrefixOf(other.path) &&
      this.isNewerThan(other)
    );
  }
  equals(other) {
    return (
      equalBytes(this.namespaceId, other.namespaceId) &&
      equalBytes(this.subspaceId, other.subspaceId) &&
      this.path.equals(other.path) &&
      this.timestamp === other.timestamp &&
      this.payloadLength === other.payloadLength &&
      equalBytes(this.payloadDigest, other.payloadDigest)
    );
  }
}

// Timestamps: TAI microseconds since J2000 (2000-01-01T11:59:27.816 TAI), as
// core/entry computes them, with the leap seconds since 2000.
const J2000_TAI_UNIX_MICROS = 946_727_967_816_000n;
const LEAPS = [
  [1136073600, 33], // 2006-01-01
  [1230768000, 34], // 2009-01-01
  [1341100800, 35], // 2012-07-01
  [1435708800, 36], // 2015-07-01
  [1483228800, 37], // 2017-01-01
];
function taiMinusUtc(unixSeconds) {
  let off = 32; // since 1999-01-01
  for (const [at, v] of LEAPS) if (unixSeconds >= at) off = v;
  return off;
}

/** The Willow'25 timestamp of a UTC instant given in microseconds since the Unix epoch. */
export function timestampFromUnixMicros(unixMicros) {
  if (typeof unixMicros !== "bigint") throw invalid("unixMicros must be a bigint");
  const off = taiMinusUtc(Number(unixMicros / 1_000_000n));
  const ts = unixMicros + BigInt(off) * 1_000_000n - J2000_TAI_UNIX_MICROS;
  if (ts < 0n) throw invalid("instants before J2000 have no Willow'25 timestamp");
  return ts;
}

/** The Willow'25 timestamp of a Date (millisecond precision). */
export function timestampFromDate(date) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw invalid("timestampFromDate needs a valid Date");
  return timestampFromUnixMicros(BigInt(date.getTime()) * 1000n);
}

/** The Date of a Willow'25 timestamp (milliseconds; inside a leap second, the second after it). */
export function dateFromTimestamp(ts) {
  checkU64(ts, "timestamp");
  const tai = ts + J2000_TAI_UNIX_MICROS;
  let off = taiMinusUtc(Number(tai / 1_000_000n) - 37);
  let utc = tai - BigInt(off) * 1_000_000n;
  const off2 = taiMinusUtc(Number(utc / 1_000_000n));
  if (off2 !== off) utc = tai - BigInt(off2) * 1_000_000n;
  return new Date(Number(utc / 1000n));
}

/** The current time as a Willow'25 timestamp (TAI microseconds since J2000), like core/entry.Now. */
export function now() {
  const perf = globalThis.performance;
  const ms = perf && perf.timeOrigin ? perf.timeOrigin + perf.now() : Date.now();
  return timestampFromUnixMicros(BigInt(Math.round(ms * 1000)));
}
