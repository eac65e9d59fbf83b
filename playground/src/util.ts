// Small helpers: hex, DOM building, formatting.
import { dateFromTimestamp, type Area, type Path } from "willow-web";

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const unhex = (s: string): Uint8Array => new Uint8Array((s.match(/../g) ?? []).map((x) => parseInt(x, 16)));
export const short = (b: Uint8Array): string => hex(b).slice(0, 8) + "…";

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element: attributes (on* are listeners, booleans toggle) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** `/a/b` → ["a","b"], `/` → [""], `` → []. */
export function parsePath(text: string): string[] {
  const t = text.trim();
  if (t === "") return [];
  if (!t.startsWith("/")) throw new Error("A path starts with “/” (or is empty).");
  return t.slice(1).split("/");
}

export function pathText(p: Path): string {
  return p.length === 0 ? "(empty path)" : p.toString();
}

export function humanTime(ts: bigint): string {
  const d = dateFromTimestamp(ts);
  return Number.isNaN(d.getTime()) ? "(out of range)" : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function bytesText(n: bigint | number): string {
  const v = Number(n);
  return v < 1024 ? `${v} B` : v < 1048576 ? `${(v / 1024).toFixed(1)} KiB` : `${(v / 1048576).toFixed(1)} MiB`;
}

/** The area as words, with a name for a subspace id. */
export function areaText(area: Area, nameOf: (id: Uint8Array) => string): string {
  const who = area.subspace ? `${nameOf(area.subspace)}'s subspace` : "any subspace";
  const where = area.path.length === 0 ? "every path" : `paths under ${area.path.toString()}`;
  const t = area.times;
  const when = t.start === 0n && t.isOpen ? "any time" : `times [${t.start}, ${t.end ?? "∞"})`;
  return `${who}, ${where}, ${when}`;
}

export function errorText(err: unknown): string {
  if (err instanceof Error && "code" in err) return `${err.message} (${String(err.code)})`;
  return err instanceof Error ? err.message : String(err);
}
