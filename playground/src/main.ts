// The three-peer Willow playground: the page, built on willow-web.
import * as W from "willow-web";
import { World, PEER_NAMES, NEIGHBOURS, type Peer, type PeerName, type NamespaceInfo } from "./model.ts";
import { dropBytes, previewJoin, slotKey, type JoinPreview } from "./drops.ts";
import * as relay from "./relay.ts";
import { entryFields, tokenFields, hexLines, type Field } from "./bytes.ts";
import { h, hex, short, parsePath, pathText, humanTime, bytesText, areaText, errorText } from "./util.ts";

interface Row {
  entry: W.Entry;
  token: Uint8Array | null;
  payload: { text: string; state: string };
  auth: string;
}
/** Marks on a pane's table during a preview. */
interface Overlay {
  additions: Row[];
  prunes: Set<string>;
  obsoleteBy: Set<string>;
  /** Entries going into a drop (the source side of a sync preview). */
  sending?: Set<string>;
}
interface Pane {
  peer: PeerName;
  root: HTMLElement;
  tabs: HTMLElement;
  body: HTMLElement;
  table: HTMLElement;
  caps: HTMLElement;
  form: HTMLFormElement;
  formPreview: HTMLElement;
  drops: HTMLElement;
  dropPreview: HTMLElement;
  status: HTMLElement;
  incoming: HTMLElement;
  rows: Row[];
  overlay: Overlay | null;
  /** Slot keys of the entries a pasted link selects ("Go to link"). */
  linked: Set<string>;
}

let world: World;
let active = ""; // hex of the namespace shown in every pane
const panes = new Map<PeerName, Pane>();
const syncStatus = new Map<string, HTMLElement>();
const app = document.getElementById("app")!;
const globalStatus = document.getElementById("global-status")!;
const bytesView = document.getElementById("bytes")!;

const activeNs = (): NamespaceInfo => world.namespaceByHex(active) ?? world.namespaces[0]!;
const pane = (p: PeerName): Pane => panes.get(p)!;

// ---------------------------------------------------------------- rows

async function authText(token: Uint8Array): Promise<string> {
  const { capability: c } = await W.decodeToken(token);
  const chain = [world.nameOf(c.user), ...c.delegations.map((d) => world.nameOf(d.user))].join(" → ");
  if (c.delegations.length === 0) return c.isOwned ? "owned: the owner's capability" : "communal";
  return `delegated: ${chain}`;
}

async function loadRows(peer: Peer, ns: NamespaceInfo): Promise<Row[]> {
  const store = peer.store.namespace(ns.id);
  const stored = await store.entries(W.Area.full(), { order: "path" });
  return Promise.all(
    stored.map(async ({ entry, token }) => {
      const info = await store.payloadInfo(entry.subspaceId, entry.path);
      let text = "";
      if (info.state === "complete") {
        const n = entry.payloadLength < 96n ? entry.payloadLength : 96n;
        text = textPreview(await store.readPayload(entry.subspaceId, entry.path, { from: 0n, to: n }), entry.payloadLength);
      }
      return { entry, token, payload: { text, state: info.state === "complete" ? "available" : info.state }, auth: await authText(token) };
    }),
  );
}

/** Up to 64 characters of a payload's start as text, or "(binary)". */
function textPreview(start: Uint8Array, length: bigint): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(start, { stream: true });
  } catch {
    return "(binary)";
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return "(binary)";
  text = text.replace(/\s+/g, " ");
  return text.length > 64 || BigInt(start.length) < length ? `${text.slice(0, 64)}…` : text;
}

function compareRows(a: Row, b: Row): number {
  const s = hex(a.entry.subspaceId).localeCompare(hex(b.entry.subspaceId));
  if (s) return s;
  const p = a.entry.path.compare(b.entry.path);
  return p || (a.entry.timestamp < b.entry.timestamp ? -1 : a.entry.timestamp > b.entry.timestamp ? 1 : 0);
}

function renderTable(p: Pane): void {
  const ns = activeNs();
  const rows = [...p.rows, ...(p.overlay?.additions ?? [])].sort(compareRows);
  const additions = new Set(p.overlay?.additions ?? []);
  const bodies: HTMLElement[] = [];
  for (const row of rows) {
    const key = slotKey(row.entry);
    const mark = additions.has(row) ? "addition" : p.overlay?.prunes.has(key) ? "prune" : p.overlay?.obsoleteBy.has(key) ? "obsoleting" : p.overlay?.sending?.has(key) ? "sending" : row.token && p.linked.has(key) ? "linked" : "";
    const markText = { addition: "Would be added. ", prune: "Would be pruned. ", obsoleting: "Newer: makes the new entry obsolete. ", sending: "In the drop. ", linked: "Linked. ", "": "" }[mark];
    const e = row.entry;
    bodies.push(
      h("tbody", { class: `entry ${mark}` },
        h("tr", {},
          h("td", {}, mark ? h("span", { class: "mark" }, markText) : null, h("span", { class: "who" }, world.nameOf(e.subspaceId)), h("small", {}, short(e.subspaceId))),
          h("td", { class: "path" }, pathText(e.path),
            row.token ? h("button", { type: "button", class: "small", "aria-label": `Bytes of ${pathText(e.path)} by ${world.nameOf(e.subspaceId)} in ${p.peer}'s store`, onclick: () => void showEntryBytes(row) }, "bytes") : null,
            row.token ? h("button", { type: "button", class: "small", "aria-label": `Copy link to ${pathText(e.path)} by ${world.nameOf(e.subspaceId)} in ${p.peer}'s store`, onclick: () => void copyLink(p, row) }, "copy link") : null),
          h("td", {}, h("span", {}, humanTime(e.timestamp)), h("small", {}, String(e.timestamp))),
          h("td", { class: "auth" }, row.auth),
        ),
        h("tr", { class: "payload-row" },
          h("td", { class: "payload", colspan: 4 },
            h("span", { class: "label" }, "Payload "),
            h("span", { class: "text" }, row.payload.text === "(binary)" ? row.payload.text : row.payload.text ? `“${row.payload.text}”` : row.payload.state === "available" ? "(empty)" : "(not held)"),
            h("small", {}, `${bytesText(e.payloadLength)} · digest ${short(e.payloadDigest)} · ${row.payload.state}`)),
        ),
      ),
    );
  }
  p.table.replaceChildren(
    h("table", {},
      h("caption", {}, `${p.peer}'s entries in ${ns.name} (${p.rows.length})`),
      h("thead", {}, h("tr", {}, ...["Author", "Path", "Timestamp", "Authorised by"].map((c) => h("th", { scope: "col" }, c)))),
      ...bodies,
    ),
  );
  if (rows.length === 0) p.table.append(h("p", { class: "empty" }, "No entries yet."));
}

async function renderCaps(p: Pane): Promise<void> {
  const ns = activeNs();
  const peer = world.peer(p.peer);
  const caps = await world.capabilitiesOf(peer, ns);
  const list = h("ul", { class: "caps" });
  for (const c of caps) {
    const steps = [
      c.isOwned ? `namespace key (owner ${ns.owner ?? "?"})` : "communal namespace",
      `${world.nameOf(c.user)}: ${areaText(c.isOwned ? W.Area.full() : W.Area.subspace(c.user), world.nameOf)}`,
      ...c.delegations.map((d) => `${world.nameOf(d.user)}: ${areaText(d.area, world.nameOf)}`),
    ];
    list.append(h("li", {}, h("span", { class: "kind" }, `${c.isOwned ? "owned" : "communal"} ${c.accessMode}`), h("ol", { class: "chain", "aria-label": "capability chain" }, ...steps.map((s) => h("li", {}, s)))));
  }
  const children: Node[] = [h("h3", {}, `${p.peer}'s write capabilities in ${ns.name}`), caps.length ? list : h("p", { class: "none" }, "None: cannot write here.")];
  if (ns.kind === "owned" && caps.length) children.push(delegateForm(p, ns));
  p.caps.replaceChildren(...children);
}

function delegateForm(p: Pane, ns: NamespaceInfo): HTMLElement {
  const id = `${p.peer}-delegate`;
  const others = PEER_NAMES.filter((n) => n !== p.peer);
  const to = h("select", { id: `${id}-to` }, ...others.map((n) => h("option", { value: n }, n)));
  const prefix = h("input", { id: `${id}-path`, value: "/reviews", autocomplete: "off" });
  const own = h("input", { type: "checkbox", id: `${id}-own`, checked: true });
  const status = h("p", { class: "status", role: "status" });
  const form = h("form", { class: "delegate", "aria-label": `Delegate write access in ${ns.name} as ${p.peer}` },
    h("h4", {}, "Delegate write access"),
    h("label", { for: to.id }, "To"), to,
    h("label", { for: prefix.id }, "Path prefix"), prefix,
    h("label", { class: "check" }, own, " only in their own subspace"),
    h("button", { type: "submit" }, "Delegate"),
    status,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void (async () => {
      try {
        const receiver = world.peer(to.value as PeerName);
        const area = new W.Area({ subspace: own.checked ? receiver.id : null, path: W.Path.from(...parsePath(prefix.value)) });
        const cap = await world.delegate(world.peer(p.peer), receiver, ns, area);
        announce(`${p.peer} delegated write access to ${receiver.name} for ${areaText(area, world.nameOf)} (chain of ${cap.delegations.length} delegation${cap.delegations.length === 1 ? "" : "s"}).`);
        await refreshAll();
      } catch (err) {
        status.textContent = `Delegation failed: ${errorText(err)}`;
      }
    })();
  });
  return form;
}

// ---------------------------------------------------------------- panes

function renderTabs(p: Pane): void {
  const peer = world.peer(p.peer);
  const tabs = world.namespaces.map((ns) =>
    h("button", {
      type: "button", role: "tab", id: `${p.peer}-tab-${ns.hex.slice(0, 8)}`, "aria-selected": ns.hex === active ? "true" : "false",
      tabindex: ns.hex === active ? 0 : -1, class: peer.knows(ns) ? "" : "unknown", "aria-controls": `${p.peer}-panel`,
      onclick: () => void selectNamespace(ns.hex, p.peer),
    }, ns.name, ns.kind === "owned" ? h("span", { class: "badge", title: "owned namespace" }, " (owned)") : null),
  );
  p.tabs.replaceChildren(...tabs);
}

async function refresh(name: PeerName): Promise<void> {
  const p = pane(name);
  const peer = world.peer(name);
  const ns = activeNs();
  renderTabs(p);
  p.body.setAttribute("aria-labelledby", `${name}-tab-${ns.hex.slice(0, 8)}`);
  const knows = peer.knows(ns);
  p.body.classList.toggle("unknown-ns", !knows);
  p.body.querySelector(".unknown-msg")!.textContent = knows ? "" : `${name} doesn't know about the “${ns.name}” namespace! (A drop of it, imported below, would teach ${name}.)`;
  p.rows = knows ? await loadRows(peer, ns) : [];
  p.form.hidden = !knows;
  p.caps.hidden = !knows;
  p.drops.querySelector(".export")!.toggleAttribute("hidden", !knows);
  renderTable(p);
  if (knows) await renderCaps(p);
}

async function refreshAll(): Promise<void> {
  await Promise.all(PEER_NAMES.map(refresh));
  renderSyncBars();
  await previewForms();
}

async function selectNamespace(h8: string, focusPeer?: PeerName): Promise<void> {
  active = h8;
  sessionStorage.setItem("willow-playground:active", active);
  for (const p of panes.values()) {
    p.overlay = null;
    p.linked = new Set();
    p.status.textContent = "";
    p.incoming.textContent = "";
    p.dropPreview.replaceChildren();
  }
  for (const s of syncStatus.values()) s.textContent = "";
  await refreshAll();
  if (focusPeer) document.getElementById(`${focusPeer}-tab-${h8.slice(0, 8)}`)?.focus();
}

function announce(text: string): void {
  globalStatus.textContent = text;
}

// ---------------------------------------------------------------- add an entry

interface Draft {
  components: string[];
  payload: Uint8Array;
  timestamp: bigint;
}

/** The bytes of the file chosen as payload in each add-entry form. */
const chosenFiles = new WeakMap<HTMLFormElement, Uint8Array>();

function parseTimestamp(text: string): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) >= 2n ** 64n) throw new Error("A timestamp is a whole number of microseconds (TAI since J2000, below 2^64), or empty for now.");
  return BigInt(text);
}

function readDraft(p: Pane): Draft {
  const f = p.form.elements;
  const path = (f.namedItem("path") as HTMLInputElement).value;
  const file = (f.namedItem("file") as HTMLInputElement).files?.[0];
  const ts = (f.namedItem("timestamp") as HTMLInputElement).value.trim();
  const text = (f.namedItem("payload") as HTMLTextAreaElement).value;
  const fileBytes = chosenFiles.get(p.form);
  return {
    components: parsePath(path),
    payload: file && fileBytes ? fileBytes : new TextEncoder().encode(text),
    timestamp: ts === "" ? W.now() : parseTimestamp(ts),
  };
}

const previewSeq = new Map<PeerName, number>();

async function previewForm(p: Pane): Promise<void> {
  const seq = (previewSeq.get(p.peer) ?? 0) + 1;
  previewSeq.set(p.peer, seq);
  const stale = () => previewSeq.get(p.peer) !== seq;
  const peer = world.peer(p.peer);
  const ns = activeNs();
  const pathValue = (p.form.elements.namedItem("path") as HTMLInputElement).value;
  const tsHuman = p.form.querySelector(".ts-human")!;
  if (!peer.knows(ns) || pathValue.trim() === "") {
    if (p.overlay && p.overlay.additions.length <= 1) p.overlay = null;
    p.formPreview.replaceChildren();
    p.formPreview.className = "preview";
    tsHuman.textContent = "empty: now";
    renderTable(p);
    return;
  }
  let draft: Draft;
  try {
    draft = readDraft(p);
    tsHuman.textContent = humanTime(draft.timestamp);
  } catch (err) {
    p.formPreview.textContent = errorText(err);
    p.formPreview.className = "preview refused";
    return;
  }
  try {
    const entry = await world.buildEntry(peer, ns, draft.components, draft.payload, draft.timestamp);
    const auth = await world.authorise(peer, ns, entry);
    const result = await peer.store.namespace(ns.id).preview(entry);
    if (stale()) return;
    const row: Row = {
      entry, token: null,
      payload: { text: textPreview(draft.payload.subarray(0, 96), BigInt(draft.payload.length)), state: "available" },
      auth: auth.ok ? await authText(auth.authorised.token) : "none",
    };
    if (stale()) return;
    const overlay: Overlay = { additions: [], prunes: new Set(), obsoleteBy: new Set() };
    const lines: string[] = [];
    let cls = "preview";
    if (!auth.ok) {
      lines.push(auth.message);
      cls += " refused";
    } else if (result.kind === "inserted") {
      overlay.additions.push(row);
      for (const e of result.pruned) overlay.prunes.add(slotKey(e));
      lines.push(`Preview: adds ${pathText(entry.path)} (highlighted)${result.pruned.length ? ` and prunes ${result.pruned.length} older entr${result.pruned.length === 1 ? "y" : "ies"} at or below it: ${result.pruned.map((e) => pathText(e.path)).join(", ")}` : ""}. Authorised by: ${row.auth}.`);
    } else if (result.kind === "obsolete") {
      const by = result.obsoletedBy;
      overlay.obsoleteBy.add(slotKey(by));
      const why = by.timestamp > entry.timestamp ? "is newer" : "has the same timestamp and wins the tie-break (greater digest, then greater length)";
      lines.push(`Obsolete: ${world.nameOf(by.subspaceId)}'s entry at ${pathText(by.path)} (${humanTime(by.timestamp)}) ${why}${by.path.equals(entry.path) ? "" : ` and its path is a prefix of ${pathText(entry.path)}`}, so this entry would be discarded at once. Use a later timestamp.`);
      cls += " obsolete";
    } else {
      lines.push("This exact entry is already stored; adding it changes nothing.");
    }
    p.overlay = overlay;
    p.formPreview.textContent = lines.join(" ");
    p.formPreview.className = cls;
    renderTable(p);
  } catch (err) {
    p.formPreview.textContent = errorText(err);
    p.formPreview.className = "preview refused";
  }
}

async function previewForms(): Promise<void> {
  await Promise.all([...panes.values()].map(previewForm));
}

async function commitForm(p: Pane): Promise<void> {
  const peer = world.peer(p.peer);
  const ns = activeNs();
  try {
    const draft = readDraft(p);
    const out = await world.write(peer, ns, draft.components, draft.payload, draft.timestamp);
    if (!out.ok) {
      p.formPreview.textContent = "";
      p.formPreview.className = "preview";
      p.status.textContent = out.message;
      p.status.className = "status refused";
      return;
    }
    const r = out.result;
    const path = pathText(W.Path.from(...draft.components));
    (p.form.elements.namedItem("path") as HTMLInputElement).value = "";
    (p.form.elements.namedItem("payload") as HTMLTextAreaElement).value = "";
    (p.form.elements.namedItem("timestamp") as HTMLInputElement).value = "";
    (p.form.elements.namedItem("file") as HTMLInputElement).value = "";
    p.overlay = null;
    await refresh(p.peer);
    await previewForm(p);
    p.status.className = "status";
    p.status.textContent =
      r.kind === "inserted" ? `${p.peer} wrote ${path}${r.pruned.length ? `, pruning ${r.pruned.length} entr${r.pruned.length === 1 ? "y" : "ies"}` : ""}.`
      : r.kind === "obsolete" ? `Not stored: ${path} is obsolete (a newer entry at ${pathText(r.obsoletedBy.path)}).`
      : `${path} was already stored.`;
  } catch (err) {
    p.status.textContent = `Failed: ${errorText(err)}`;
    p.status.className = "status refused";
  }
}

function entryForm(name: PeerName): { form: HTMLFormElement; preview: HTMLElement } {
  const id = (s: string) => `${name}-${s}`;
  const preview = h("p", { class: "preview", id: id("preview"), "aria-live": "polite" });
  let timer = 0;
  const schedule = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void previewForm(pane(name)), 120);
  };
  const form = h("form", { class: "add", "aria-label": `Add an entry as ${name}` },
    h("h3", {}, `Add an entry as ${name}`),
    h("label", { for: id("path") }, "Path"),
    h("input", { id: id("path"), name: "path", placeholder: "/ideas/game", autocomplete: "off", "aria-describedby": id("preview"), oninput: schedule }),
    h("label", { for: id("payload") }, "Payload"),
    h("textarea", { id: id("payload"), name: "payload", rows: 2, placeholder: "text", oninput: schedule }),
    h("label", { for: id("file") }, "or a file"),
    h("input", { id: id("file"), name: "file", type: "file", onchange: (ev: Event) => {
      const input = ev.target as HTMLInputElement;
      const file = input.files?.[0];
      void (async () => {
        if (file) chosenFiles.set(form, new Uint8Array(await file.arrayBuffer()));
        else chosenFiles.delete(form);
        schedule();
      })();
    } }),
    h("label", { for: id("timestamp") }, "Timestamp (µs)"),
    h("span", { class: "ts" },
      h("input", { id: id("timestamp"), name: "timestamp", inputmode: "numeric", placeholder: "now", autocomplete: "off", oninput: schedule }),
      h("small", { class: "ts-human" }, "empty: now")),
    h("button", { type: "submit", onmouseenter: schedule, onfocus: schedule }, "Add entry"),
    preview,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void commitForm(pane(name));
  });
  return { form, preview };
}

// ---------------------------------------------------------------- drops

/** The area the sync and export controls select. */
function selectedArea(): W.Area {
  const v = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
  const prefix = W.Path.from(...parsePath(v("area-path")));
  const from = v("area-from");
  const to = v("area-to");
  const start = from ? W.timestampFromDate(new Date(from)) : 0n;
  const times = to ? W.TimeRange.closed(start, W.timestampFromDate(new Date(to))) : W.TimeRange.open(start);
  return new W.Area({ path: prefix, times });
}

const withoutPayloads = (): boolean => (document.getElementById("area-no-payloads") as HTMLInputElement).checked;

function joinText(target: PeerName, j: JoinPreview): string {
  const paths = (es: W.Entry[]) => es.map((e) => `${pathText(e.path)} (${world.nameOf(e.subspaceId)})`).join(", ");
  const parts = [`Drop of ${j.items.length} entr${j.items.length === 1 ? "y" : "ies"}, ${j.bytes.length} bytes.`];
  parts.push(j.additions.length ? `${target} would gain ${j.additions.length}: ${paths(j.additions.map((i) => i.entry))}.` : `${target} would gain nothing new.`);
  if (j.prunes.length) parts.push(`Prunes ${j.prunes.length}: ${paths(j.prunes)}.`);
  if (j.obsolete.length) parts.push(`${j.obsolete.length} would be obsolete: ${paths(j.obsolete.map((o) => o.item.entry))} (a newer entry at the same or a prefix path wins, marked).`);
  if (j.present) parts.push(`${j.present} already present.`);
  if (j.unauthorised.length) parts.push(`${j.unauthorised.length} NOT authorised: the whole drop would be refused.`);
  return parts.join(" ");
}

function overlayOf(j: JoinPreview, ns: NamespaceInfo): Overlay {
  const inNs = (e: W.Entry) => hex(e.namespaceId) === ns.hex;
  return {
    additions: j.additions.filter((i) => inNs(i.entry)).map((i) => ({ entry: i.entry, token: null, payload: { text: "(arriving)", state: i.slices.length ? "in drop" : "none" }, auth: "in drop" })),
    prunes: new Set(j.prunes.filter(inNs).map(slotKey)),
    obsoleteBy: new Set(j.obsolete.map((o) => o.by).filter(inNs).map(slotKey)),
  };
}

async function syncPreview(from: PeerName, to: PeerName, out: HTMLElement): Promise<JoinPreview | null> {
  try {
    const ns = activeNs();
    const bytes = await dropBytes(world.peer(from), [ns.id], selectedArea(), withoutPayloads());
    const j = await previewJoin(world.peer(to), bytes);
    pane(to).overlay = overlayOf(j, ns);
    renderTable(pane(to));
    pane(from).overlay = { additions: [], prunes: new Set(), obsoleteBy: new Set(), sending: new Set(j.items.map((i) => slotKey(i.entry))) };
    renderTable(pane(from));
    pane(to).incoming.textContent = `Preview of a sync from ${from}: ${joinText(to, j)}`;
    out.textContent = `${from[0]}→${to[0]}: +${j.additions.length} −${j.prunes.length}, ${j.bytes.length} B`;
    lastDrop = { label: `${from} → ${to} (${ns.name})`, j };
    return j;
  } catch (err) {
    pane(to).incoming.textContent = `Cannot sync from ${from}: ${errorText(err)}`;
    return null;
  }
}

function clearSyncPreview(from: PeerName, to: PeerName): void {
  pane(from).overlay = null;
  renderTable(pane(from));
  pane(to).overlay = null;
  if (pane(to).incoming.textContent?.startsWith("Preview")) pane(to).incoming.textContent = "";
  renderTable(pane(to));
}

async function syncCommit(from: PeerName, to: PeerName, out: HTMLElement): Promise<void> {
  const j = await syncPreview(from, to, out);
  if (!j) return;
  try {
    const r = await world.peer(to).store.ingestDrop(j.bytes);
    pane(to).overlay = null;
    pane(from).overlay = null;
    renderTable(pane(from));
    await refresh(to);
    pane(to).incoming.textContent = `Synced from ${from}: ${r.inserted} inserted, ${r.pruned} pruned, ${r.obsolete} obsolete, ${r.alreadyPresent} already present (a drop of ${r.bytes} bytes).`;
    out.textContent = `${from[0]}→${to[0]}: done`;
  } catch (err) {
    pane(to).incoming.textContent = `Sync refused: ${errorText(err)}`;
  }
}

function renderSyncBars(): void {
  const ns = activeNs();
  for (const [a, b] of NEIGHBOURS) {
    const bar = document.getElementById(`sync-${a}-${b}`)!;
    const shared = world.peer(a).knows(ns) && world.peer(b).knows(ns);
    bar.classList.toggle("off", !shared);
    for (const btn of bar.querySelectorAll("button")) btn.disabled = !shared;
    const dirButtons = bar.querySelectorAll<HTMLButtonElement>("button");
    dirButtons[0]!.setAttribute("aria-label", `Sync ${ns.name} from ${a} to ${b}`);
    dirButtons[1]!.setAttribute("aria-label", `Sync ${ns.name} from ${b} to ${a}`);
    if (!shared) syncStatus.get(`${a}-${b}`)!.textContent = `${a} and ${b} do not share “${ns.name}”.`;
    else if (syncStatus.get(`${a}-${b}`)!.textContent?.includes("do not share")) syncStatus.get(`${a}-${b}`)!.textContent = "";
  }
}

function syncBar(a: PeerName, b: PeerName): HTMLElement {
  const out = h("p", { class: "sync-status", "aria-live": "polite" });
  syncStatus.set(`${a}-${b}`, out);
  const button = (from: PeerName, to: PeerName, label: string) => {
    let committing = false;
    const preview = () => { if (!committing) void syncPreview(from, to, out); };
    const clear = () => { if (!committing) clearSyncPreview(from, to); };
    return h("button", {
      type: "button", class: "sync-btn", title: `Sync ${from} → ${to}`,
      onmouseenter: preview, onfocus: preview, onmouseleave: clear, onblur: clear,
      onclick: () => {
        committing = true;
        void syncCommit(from, to, out).finally(() => { committing = false; });
      },
    }, label);
  };
  return h("div", { class: "sync", id: `sync-${a}-${b}`, role: "group", "aria-label": `Sync between ${a} and ${b}` },
    button(a, b, `${a[0]} → ${b[0]}`), button(b, a, `${a[0]} ← ${b[0]}`), out);
}

const AGE_MAGIC = "age-encryption.org/v1\n";
const isSealed = (b: Uint8Array): boolean => b.length >= AGE_MAGIC.length && new TextDecoder("latin1").decode(b.subarray(0, AGE_MAGIC.length)) === AGE_MAGIC;
/** A stream's bytes; read with a reader, since Response.arrayBuffer() replaces a stream's error (its WillowError code) with a TypeError in Chromium. */
async function streamBytes(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = s.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function dropsSection(name: PeerName): { section: HTMLElement; preview: HTMLElement } {
  const preview = h("div", { class: "drop-preview", "aria-live": "polite" });
  const allNs = h("input", { type: "checkbox", id: `${name}-export-all` });
  const others = PEER_NAMES.filter((n) => n !== name);
  const sealTo = h("select", { id: `${name}-export-to` },
    ...[...others, name].map((n) => h("option", { value: n }, `sealed to ${n}`)),
    h("option", { value: "" }, "plaintext (not encrypted)"));
  const link = h("p", { class: "download" });
  const exportDrop = async () => {
    try {
      const peer = world.peer(name);
      const namespaces = allNs.checked ? world.namespaces.filter((n) => peer.knows(n)) : [activeNs()];
      const plain = await dropBytes(peer, namespaces.map((n) => n.id), selectedArea(), withoutPayloads());
      const to = sealTo.value as PeerName | "";
      // Sealed with the façade's age support: to the recipient peer's subspace id.
      const bytes = to ? await streamBytes(W.sealDrop(new Blob([plain as BlobPart]).stream(), [world.peer(to).id])) : plain;
      const fileName = `${name.toLowerCase()}-${allNs.checked ? "all" : activeNs().name.toLowerCase().replace(/\W+/g, "-")}.drop`;
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
      const a = h("a", { href: url, download: fileName }, `Download ${fileName} again`);
      const count = (await W.inspectDrop(plain)).length;
      link.replaceChildren(`Exported ${fileName} (${to ? `sealed to ${to}` : "plaintext"}): ${bytes.length} bytes, ${count} entr${count === 1 ? "y" : "ies"}. `, a);
      lastDrop = { label: fileName, j: await previewJoin(peer, plain) };
      a.click();
    } catch (err) {
      link.textContent = `Export failed: ${errorText(err)}`;
    }
  };
  const importFile = async (file: File) => {
    const peer = world.peer(name);
    try {
      const raw = new Uint8Array(await file.arrayBuffer());
      const sealed = isSealed(raw);
      let bytes: Uint8Array = raw;
      if (sealed) {
        try {
          bytes = await streamBytes(W.openDrop(raw, [peer.keypair.secret]));
        } catch (err) {
          const code = err instanceof W.WillowError ? err.code : "";
          preview.replaceChildren(h("p", { class: "refused" },
            code === "no_matching_identity" ? `${file.name} is sealed to someone else: ${name}'s key cannot open it. Import it into the peer it was sealed to.`
            : code === "tampered" ? `${file.name} is sealed, but damaged or cut off: nothing imported (${errorText(err)}).`
            : `Cannot open ${file.name}: ${errorText(err)}`));
          return;
        }
      }
      const j = await previewJoin(peer, bytes);
      lastDrop = { label: file.name, j };
      pane(name).overlay = overlayOf(j, activeNs());
      renderTable(pane(name));
      const commit = h("button", { type: "button", onclick: () => void (async () => {
        try {
          const r = await peer.store.ingestDrop(raw, sealed ? { identities: [peer.keypair.secret] } : {});
          const learnt = world.learn(peer, j.items.map((i) => i.entry.namespaceId));
          pane(name).overlay = null;
          await refreshAll();
          preview.replaceChildren(h("p", {}, `Imported ${file.name} into ${name}: ${r.inserted} inserted, ${r.pruned} pruned, ${r.obsolete} obsolete, ${r.alreadyPresent} already present.${learnt.length ? ` ${name} now knows ${learnt.join(", ")}.` : ""}${r.sealed ? ` (Sealed; opened with ${name}'s key.)` : ""}`));
        } catch (err) {
          preview.replaceChildren(h("p", { class: "refused" }, `Import refused: ${errorText(err)}`));
        }
      })() }, `Join into ${name}'s store`);
      const cancel = h("button", { type: "button", onclick: () => { preview.replaceChildren(); pane(name).overlay = null; renderTable(pane(name)); } }, "Cancel");
      preview.replaceChildren(h("p", {}, `Preview of ${file.name}: ${joinText(name, j)}${sealed ? ` (Sealed to ${name}; opened with ${name}'s key.)` : ""}`), commit, " ", cancel);
    } catch (err) {
      preview.replaceChildren(h("p", { class: "refused" }, `Not a valid drop: ${errorText(err)}`));
    }
  };
  // Through a relay: push a drop of the active namespace (sealed as chosen
  // above, or plaintext), pull every drop of it into this peer.
  const relayStatus = h("p", { class: "relay-status", role: "status", "aria-live": "polite" });
  const relayURL = (): string | null => {
    const url = (document.getElementById("relay-url") as HTMLInputElement).value.trim();
    if (!url) relayStatus.textContent = "Enter the relay's URL above first (run one with bash scripts/relay-dev.sh).";
    return url || null;
  };
  const pushToRelay = async () => {
    const url = relayURL();
    if (!url) return;
    const peer = world.peer(name);
    const ns = activeNs();
    relayStatus.textContent = `Pushing a drop of “${ns.name}” from ${name}…`;
    try {
      const plain = await dropBytes(peer, [ns.id], selectedArea(), withoutPayloads());
      const to = sealTo.value as PeerName | "";
      const bytes = to ? await streamBytes(W.sealDrop(new Blob([plain as BlobPart]).stream(), [world.peer(to).id])) : plain;
      const rec = await relay.push(url, peer, ns, bytes);
      relayStatus.textContent = `${rec.created ? "Pushed" : "Already on the relay:"} drop ${rec.id.slice(0, 8)}… of “${ns.name}” (${rec.size} bytes, ${rec.sealed ? `sealed to ${to}` : "plaintext, verified by the relay"}).`;
    } catch (err) {
      const code = err instanceof W.WillowError ? err.code : "";
      relayStatus.textContent = code === "relay_entry_outside_area"
        ? `The relay refused the plaintext drop: it holds entries outside ${name}'s capability (a relay stores plaintext only from the entries' writers). Seal it to a peer instead. (${code})`
        : `Push failed: ${errorText(err)}`;
    }
  };
  const pullFromRelay = async () => {
    const url = relayURL();
    if (!url) return;
    const peer = world.peer(name);
    const ns = activeNs();
    relayStatus.textContent = `Pulling the drops of “${ns.name}” into ${name}…`;
    try {
      const s = await relay.pull(url, peer, ns, (done, total) => {
        relayStatus.textContent = `Pulling the drops of “${ns.name}” into ${name}: ${done} of ${total}…`;
      });
      const learnt = s.drops - s.notForUs - s.refused.length > 0 ? world.learn(peer, [ns.id]) : [];
      await refreshAll();
      relayStatus.textContent = `Pulled ${s.drops} drop${s.drops === 1 ? "" : "s"} of “${ns.name}” into ${name}: ${s.inserted} inserted, ${s.pruned} pruned, ${s.obsolete} obsolete, ${s.alreadyPresent} already present` +
        `${s.notForUs ? `; ${s.notForUs} sealed to someone else (skipped)` : ""}${s.refused.length ? `; refused: ${s.refused.join("; ")}` : ""}.${learnt.length ? ` ${name} now knows ${learnt.join(", ")}.` : ""}`;
    } catch (err) {
      relayStatus.textContent = `Pull failed: ${errorText(err)}`;
    }
  };
  const fileInput = h("input", { type: "file", id: `${name}-import`, accept: ".drop,application/octet-stream", onchange: (ev: Event) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void importFile(f);
  } });
  const section = h("section", { class: "drops", "aria-label": `${name}'s drops` },
    h("h3", {}, "Drops (sneakernet)"),
    h("div", { class: "export" },
      h("button", { type: "button", onclick: () => void exportDrop() }, `Export a drop from ${name}`),
      h("label", { for: sealTo.id }, "as"), sealTo,
      h("label", { class: "check" }, allNs, " all namespaces"),
      link),
    h("label", { for: fileInput.id }, `Import a drop file into ${name}`), fileInput,
    preview,
    h("div", { class: "relay" },
      h("button", { type: "button", onclick: () => void pushToRelay() }, `Push to relay from ${name}`),
      h("button", { type: "button", onclick: () => void pullFromRelay() }, `Pull from relay into ${name}`),
      relayStatus),
  );
  return { section, preview };
}

// ---------------------------------------------------------------- links

/** Puts the entry's Willow URI (with its payload digest) on the clipboard and shows it. */
async function copyLink(p: Pane, row: Row): Promise<void> {
  const link = await W.entryUri(row.entry);
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch {
    // No clipboard permission (e.g. an insecure origin): the link is shown below.
  }
  p.status.className = "status";
  p.status.replaceChildren(copied ? "Link copied: " : "Copy this link: ", h("code", { class: "link" }, link));
}

const gotoStatus = document.getElementById("goto-status")!;

/**
 * Selects the namespace of a pasted Willow URI and highlights, in every peer
 * that holds it, the entry (or the entries of the area) it names; says which
 * peers do not know the namespace, hold no such entry, or hold a newer one.
 */
async function goToLink(text: string): Promise<void> {
  let u: W.WillowUri;
  try {
    u = await W.parseUri(text.trim());
  } catch (err) {
    gotoStatus.textContent = `Not a Willow link: ${errorText(err)}`;
    return;
  }
  const ns = world.namespaceByHex(hex(u.namespace));
  if (!ns) {
    gotoStatus.textContent = `No peer here knows the namespace of this link (${short(u.namespace)}).`;
    return;
  }
  await selectNamespace(ns.hex);
  const what = `${u.kind === "area" ? "the area " : ""}${pathText(u.path)} by ${world.nameOf(u.subspace)}`;
  const lines: string[] = [];
  let first: HTMLElement | null = null;
  for (const name of PEER_NAMES) {
    const p = pane(name);
    const peer = world.peer(name);
    if (!peer.knows(ns)) {
      lines.push(`${name} doesn't know “${ns.name}”.`);
      continue;
    }
    try {
      const r = await peer.store.namespace(ns.id).resolve(u);
      const found = r.kind === "entry" ? [r.entry] : r.entries.map((x) => x.entry);
      p.linked = new Set(found.map(slotKey));
      lines.push(r.kind === "entry" ? `${name} holds it (highlighted).` : `${name} holds ${found.length} entr${found.length === 1 ? "y" : "ies"} of it (highlighted).`);
    } catch (err) {
      const code = err instanceof W.WillowError ? err.code : "";
      lines.push(
        code === "not_found" ? `${name} holds no entry at ${pathText(u.path)}.`
        : code === "overwritten" ? `${name}: overwritten — ${name} holds a newer entry at ${pathText(u.path)}, not the linked one.`
        : code === "missing_data" ? `${name} holds the entry but not the linked payload bytes.`
        : `${name}: ${errorText(err)}`,
      );
    }
    renderTable(p);
    first ??= p.table.querySelector<HTMLElement>("tbody.linked");
  }
  gotoStatus.textContent = `Link to ${what} in ${ns.name}: ${lines.join(" ")}`;
  first?.scrollIntoView({ block: "center" });
}

document.getElementById("goto")!.addEventListener("submit", (ev) => {
  ev.preventDefault();
  void goToLink((document.getElementById("goto-link") as HTMLInputElement).value);
});

// ---------------------------------------------------------------- bytes view

let lastDrop: { label: string; j: JoinPreview } | null = null;

function fieldTable(caption: string, fields: Field[]): HTMLElement {
  let offset = 0;
  return h("table", { class: "fields" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Offset"), h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Bytes"), h("th", { scope: "col" }, "Meaning"))),
    h("tbody", {}, ...fields.map((f) => {
      const tr = h("tr", {}, h("td", {}, String(offset)), h("th", { scope: "row" }, `${f.name} (${f.bytes.length})`), h("td", {}, h("code", {}, hexLines(f.bytes))), h("td", {}, f.note));
      offset += f.bytes.length;
      return tr;
    })),
  );
}

async function showEntryBytes(row: Row): Promise<void> {
  const { bytes, fields } = await entryFields(row.entry, world.nameOf);
  const tok = await tokenFields(row.token!, world.nameOf);
  bytesView.replaceChildren(
    h("h2", { tabindex: -1 }, `Bytes of ${pathText(row.entry.path)} by ${world.nameOf(row.entry.subspaceId)}`),
    fieldTable(`encode_entry: ${bytes.length} bytes (what the token's signature signs)`, fields),
    fieldTable(`Authorisation token: ${row.token!.length} bytes = encode_mc_capability (${tok.capability.bytes.length}) ‖ signature (64)`, tok.fields),
    dropButton(),
  );
  (bytesView.firstElementChild as HTMLElement).focus();
}

function dropButton(): HTMLElement {
  return lastDrop ? h("button", { type: "button", onclick: () => showDropBytes() }, `Show the items of the last drop (${lastDrop.label})`) : h("span");
}

/** The header byte of a drop item (Willow drop format): 01 ‖ namespace? ‖ subspace? ‖ timestamp tag ‖ slice mode. */
function itemHeader(b: number): string {
  const modes = ["no payload", "the whole payload", "a payload prefix (slice stream)", "slices"];
  const parts = [
    `0x${b.toString(16).padStart(2, "0")}`,
    (b & 0x20) ? "new namespace id" : "same namespace",
    (b & 0x10) ? "new subspace id" : "same subspace",
    `timestamp in ${[1, 2, 4, 8][(b >> 2) & 3]} byte${((b >> 2) & 3) ? "s" : ""}`,
    modes[b & 3]!,
  ];
  return parts.join(", ");
}

function showDropBytes(): void {
  if (!lastDrop) return;
  const { j, label } = lastDrop;
  const ends = [...j.items.slice(1).map((i) => i.offset), BigInt(j.bytes.length - 1)];
  bytesView.replaceChildren(
    h("h2", { tabindex: -1 }, `Drop ${label}: ${j.bytes.length} bytes, ${j.items.length} item${j.items.length === 1 ? "" : "s"}`),
    h("table", { class: "fields" },
      h("thead", {}, h("tr", {}, ...["#", "Offset", "Size", "Header byte", "Entry", "Token", "Payload slices", "Authorised", "First bytes"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...j.items.map((it, i) => h("tr", {},
        h("td", {}, String(it.index)), h("td", {}, String(it.offset)), h("td", {}, `${ends[i]! - it.offset} B`),
        h("td", {}, itemHeader(j.bytes[Number(it.offset)]!)),
        h("td", {}, `${pathText(it.entry.path)} by ${world.nameOf(it.entry.subspaceId)}, ${bytesText(it.entry.payloadLength)}`),
        h("td", {}, `${it.token.length} B (absolute; relative in the drop)`),
        h("td", {}, it.slices.map((s) => `chunks ${s.start}+${s.count}`).join(", ") || "none"),
        h("td", {}, it.authorised ? "yes" : `no: ${errorText(it.error)}`),
        h("td", {}, h("code", {}, hexLines(j.bytes.subarray(Number(it.offset), Math.min(Number(ends[i]!), Number(it.offset) + 16))))),
      ))),
    ),
    h("p", {}, `Last byte at offset ${j.bytes.length - 1}: 0x${j.bytes[j.bytes.length - 1]!.toString(16).padStart(2, "0")} (the terminator).`),
  );
  (bytesView.firstElementChild as HTMLElement).focus();
}

// ---------------------------------------------------------------- start

function buildPane(name: PeerName): HTMLElement {
  const peer = world.peer(name);
  const tabs = h("div", { role: "tablist", "aria-label": `${name}'s namespaces` });
  tabs.addEventListener("keydown", (ev) => {
    const i = world.namespaces.findIndex((n) => n.hex === active);
    const d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
    if (d) void selectNamespace(world.namespaces[(i + d + world.namespaces.length) % world.namespaces.length]!.hex, name);
  });
  const { form, preview } = entryForm(name);
  const drops = dropsSection(name);
  const table = h("div", { class: "table-wrap" });
  const caps = h("section", { class: "capabilities", "aria-label": `${name}'s capabilities` });
  const status = h("p", { class: "status", role: "status" });
  const incoming = h("p", { class: "incoming", id: `${name}-incoming`, "aria-live": "polite" });
  const body = h("div", { role: "tabpanel", id: `${name}-panel`, class: "panel" }, h("p", { class: "unknown-msg" }), incoming, table, form, status, caps, drops.section);
  const root = h("section", { class: "peer", "aria-labelledby": `${name}-h` },
    h("h2", { id: `${name}-h` }, name), h("p", { class: "peer-id" }, `subspace ${short(peer.id)}`), tabs, body);
  panes.set(name, { peer: name, root, tabs, body, table, caps, form, formPreview: preview, drops: drops.section, dropPreview: drops.preview, status, incoming, rows: [], overlay: null, linked: new Set() });
  return root;
}

async function start(): Promise<void> {
  try {
    const info = await W.init();
    world = await World.open();
    const saved = sessionStorage.getItem("willow-playground:active");
    active = saved && world.namespaceByHex(saved) ? saved : world.namespaces[0]!.hex;
    const [alfie, betty, gemma] = PEER_NAMES.map(buildPane);
    app.replaceChildren(alfie!, syncBar("Alfie", "Betty"), betty!, syncBar("Betty", "Gemma"), gemma!);
    await refreshAll();
    document.body.dataset.ready = "true";
    announce(`Ready: willow-web (${info.mode} mode, ${info.goVersion}), three peers with persistent IndexedDB stores.`);
  } catch (err) {
    app.textContent = `Could not start: ${errorText(err)}`;
  }
}

document.getElementById("reset")!.addEventListener("click", () => {
  void (async () => {
    if (!world) return;
    announce("Resetting…");
    await world.reset();
    active = world.namespaces[0]!.hex;
    for (const p of panes.values()) p.overlay = null;
    lastDrop = null;
    bytesView.replaceChildren(h("p", {}, "Select an entry's “bytes” button."));
    await refreshAll();
    announce("Reset: fresh keys, namespaces and seed entries.");
  })();
});
for (const id of ["area-path", "area-from", "area-to", "area-no-payloads"]) document.getElementById(id)!.addEventListener("change", () => { for (const s of syncStatus.values()) s.textContent = ""; });

void start();
