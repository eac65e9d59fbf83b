// The bridge wire format (wasm/PROTOCOL.md): uvarint lengths and counts,
// 8-byte little-endian u64s, raw 32- and 64-byte ids and signatures.

import { WillowError } from "./errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends wire values to a growable buffer. */
export class Writer {
  constructor(size = 256) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
    this.len = 0;
  }
  ensure(n) {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const buf = new Uint8Array(size);
    buf.set(this.buf.subarray(0, this.len));
    this.buf = buf;
    this.view = new DataView(buf.buffer);
  }
  u8(b) {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  bool(b) {
    this.u8(b ? 1 : 0);
  }
  uvarint(n) {
    this.ensure(10);
    if (typeof n === "bigint") {
      while (n >= 0x80n) {
        this.buf[this.len++] = Number(n & 0x7fn) | 0x80;
        n >>= 7n;
      }
      this.buf[this.len++] = Number(n);
      return;
    }
    while (n >= 0x80) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
  }
  u64(n) {
    this.ensure(8);
    this.view.setBigUint64(this.len, n, true);
    this.len += 8;
  }
  raw(bytes) {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  bytes(bytes) {
    this.uvarint(bytes.length);
    this.raw(bytes);
  }
  string(s) {
    this.bytes(encoder.encode(s));
  }
  /** The written bytes (a view; copy before reusing the writer). */
  finish() {
    return this.buf.subarray(0, this.len);
  }
}

/** Reads wire values from a response. Views it returns alias the response. */
export class Reader {
  constructor(buf) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.off = 0;
  }
  check(n) {
    if (this.off + n > this.buf.length) {
      throw new WillowError("internal", "malformed response from the WebAssembly module");
    }
  }
  u8() {
    this.check(1);
    return this.buf[this.off++];
  }
  bool() {
    return this.u8() === 1;
  }
  uvarint() {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  }
  u64() {
    this.check(8);
    const v = this.view.getBigUint64(this.off, true);
    this.off += 8;
    return v;
  }
  raw(n) {
    this.check(n);
    const v = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
  bytes() {
    return this.raw(this.uvarint());
  }
  string() {
    return decoder.decode(this.bytes());
  }
  get remaining() {
    return this.buf.length - this.off;
  }
}
