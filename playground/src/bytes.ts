// Annotates encodings field by field: encode_entry, the authorisation token
// (encode_mc_capability ‖ signature) and its capability. The bytes come
// from willow-web; the field boundaries are checked by re-encoding the parts
// with willow-web (encodePath, encodeAreaInArea) and by the lengths adding up.
import * as W from "willow-web";
import { hex, pathText } from "./util.ts";

export interface Field {
  name: string;
  bytes: Uint8Array;
  note: string;
}

/** The length of the standalone compact u64 starting with byte b (8-bit tag). */
const c64Length = (b: number): number => (b < 252 ? 1 : [2, 3, 5, 9][b - 252]!);
/** The number of bytes following a tag of width w (values inline below 2^w − 4). */
const tagBytes = (tag: number, width: number): number => {
  const max = (1 << width) - 1;
  return tag === max ? 8 : tag === max - 1 ? 4 : tag === max - 2 ? 2 : tag === max - 3 ? 1 : 0;
};
const c64Note = (b: Uint8Array, value: bigint) => (b.length === 1 ? `${value} (inline in the tag byte)` : `${value} (tag 0x${b[0]!.toString(16)}: ${b.length - 1} big-endian bytes follow)`);

/** Splits bytes into consecutive fields of the given lengths; null if they do not add up. */
function split(bytes: Uint8Array, parts: Array<[string, number, string]>): Field[] | null {
  const fields: Field[] = [];
  let at = 0;
  for (const [name, len, note] of parts) {
    fields.push({ name, bytes: bytes.subarray(at, at + len), note });
    at += len;
  }
  return at === bytes.length ? fields : null;
}

export async function entryFields(entry: W.Entry, nameOf: (id: Uint8Array) => string): Promise<{ bytes: Uint8Array; fields: Field[] }> {
  const bytes = await W.encodeEntry(entry);
  const path = await W.encodePath(entry.path);
  let at = 64 + path.length;
  const tsLen = c64Length(bytes[at]!);
  at += tsLen;
  const lenLen = c64Length(bytes[at]!);
  const comps = entry.path.components.map((c) => new TextDecoder().decode(c));
  const fields = split(bytes, [
    ["namespace_id", 32, "the namespace's public key"],
    ["subspace_id", 32, `the author: ${nameOf(entry.subspaceId)}'s public key`],
    ["path", path.length, `EncodePath of ${pathText(entry.path)}: header 0x${path[0]!.toString(16).padStart(2, "0")} (4-bit tags: total length ${entry.path.totalLength}, ${entry.path.length} component${entry.path.length === 1 ? "" : "s"}), then each length but the last and the bytes [${comps.map((c) => JSON.stringify(c)).join(", ")}]`],
    ["timestamp", tsLen, `compact u64: ${c64Note(bytes.subarray(64 + path.length, 64 + path.length + tsLen), entry.timestamp)} µs TAI since J2000`],
    ["payload_length", lenLen, `compact u64: ${c64Note(bytes.subarray(at, at + lenLen), entry.payloadLength)} bytes`],
    ["payload_digest", 32, "WILLIAM3 of the payload"],
  ]);
  return { bytes, fields: fields ?? [{ name: "encode_entry", bytes, note: "(could not split into fields)" }] };
}

export async function capabilityFields(cap: W.Capability, nameOf: (id: Uint8Array) => string): Promise<Field[]> {
  const b = cap.bytes;
  const header = b[0]!;
  const countTag = header & 0x3f;
  const countLen = tagBytes(countTag, 6);
  const parts: Array<[string, number, string]> = [
    ["header", 1, `bits 0–1 = ${(header >> 6).toString(2).padStart(2, "0")}: ${cap.isOwned ? "owned" : "communal"} ${cap.accessMode}; bits 2–7: 6-bit tag for the delegation count (${cap.delegations.length})`],
    ["namespace key", 32, "the namespace's public key"],
    ["user key", 32, `the genesis user: ${nameOf(cap.user)}`],
  ];
  if (cap.isOwned) parts.push(["initial authorisation", 64, "the namespace key's signature granting the user the namespace"]);
  if (countLen) parts.push(["delegation count", countLen, `${cap.delegations.length}`]);
  let prev = cap.isOwned ? W.Area.full() : W.Area.subspace(cap.user);
  for (const [i, d] of cap.delegations.entries()) {
    const code = await W.encodeAreaInArea(d.area, prev);
    parts.push([`delegation ${i + 1}: area`, code.length, `EncodeAreaInArea relative to the previous area: header 0x${code[0]!.toString(16).padStart(2, "0")}, ${d.area.subspace ? nameOf(d.area.subspace) + "'s subspace" : "any subspace"}, under ${pathText(d.area.path)}`]);
    parts.push([`delegation ${i + 1}: user`, 32, `handed to ${nameOf(d.user)}`]);
    parts.push([`delegation ${i + 1}: signature`, 64, "the previous receiver's signature over the handover"]);
    prev = d.area;
  }
  return split(b, parts) ?? [{ name: "encode_mc_capability", bytes: b, note: "(could not split into fields)" }];
}

export async function tokenFields(token: Uint8Array, nameOf: (id: Uint8Array) => string): Promise<{ capability: W.Capability; fields: Field[] }> {
  const decoded = await W.decodeToken(token);
  const fields = await capabilityFields(decoded.capability, nameOf);
  fields.push({ name: "signature", bytes: decoded.signature, note: `${nameOf(decoded.capability.receiver)}'s ed25519 signature over encode_entry(entry)` });
  return { capability: decoded.capability, fields };
}

/** Hex in groups of 16 bytes per line. */
export function hexLines(b: Uint8Array): string {
  return (hex(b).match(/.{1,32}/g) ?? [""]).map((l) => l.replace(/(..)(?!$)/g, "$1 ")).join("\n");
}
