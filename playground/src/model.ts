// The playground's peers: keys, known namespaces and capabilities (kept in
// localStorage), each with its own persistent willow-web store (IndexedDB).
// Every data-model effect comes from willow-web; this file only holds keys.
import * as W from "willow-web";
import { hex, unhex, errorText, areaText } from "./util.ts";

export type PeerName = "Alfie" | "Betty" | "Gemma";
export const PEER_NAMES: readonly PeerName[] = ["Alfie", "Betty", "Gemma"];
/** Who can sync with whom: Alfie ↔ Betty ↔ Gemma, no direct Alfie ↔ Gemma. */
export const NEIGHBOURS: ReadonlyArray<readonly [PeerName, PeerName]> = [["Alfie", "Betty"], ["Betty", "Gemma"]];

const STORAGE_KEY = "willow-playground:v1";
const dbName = (peer: PeerName) => `playground-${peer.toLowerCase()}`;

export interface NamespaceInfo {
  id: Uint8Array;
  hex: string;
  name: string;
  kind: "communal" | "owned";
  /** The peer that holds the namespace secret (owned namespaces). */
  owner?: PeerName;
}

interface SavedPeer {
  id: string;
  secret: string;
  known: string[];
  /** Capabilities of owned namespaces, encoded (communal ones are derived). */
  caps: string[];
  /** Secrets of the namespaces this peer owns. */
  namespaceSecrets: Record<string, string>;
}
interface Saved {
  namespaces: Array<{ id: string; name: string; kind: "communal" | "owned"; owner?: PeerName }>;
  peers: Record<PeerName, SavedPeer>;
}

export class Peer {
  constructor(
    readonly name: PeerName,
    readonly keypair: W.Keypair,
    public store: W.Store,
    readonly known: string[],
    readonly caps: W.Capability[],
    readonly namespaceSecrets: Map<string, Uint8Array>,
  ) {}
  get id(): Uint8Array {
    return this.keypair.id;
  }
  knows(ns: NamespaceInfo): boolean {
    return this.known.includes(ns.hex);
  }
}

/** A write attempt's outcome before anything is stored. */
export type Authorisation =
  | { ok: true; authorised: W.AuthorisedEntry; capability: W.Capability }
  | { ok: false; message: string };

export class World {
  namespaces: NamespaceInfo[] = [];
  peers = new Map<PeerName, Peer>();

  peer(name: PeerName): Peer {
    const p = this.peers.get(name);
    if (!p) throw new Error(`no peer ${name}`);
    return p;
  }

  /** The peer name of a subspace id, or its short hex. */
  nameOf = (id: Uint8Array): string => {
    const h = hex(id);
    for (const p of this.peers.values()) if (hex(p.id) === h) return p.name;
    return h.slice(0, 8) + "…";
  };

  namespaceByHex(h: string): NamespaceInfo | undefined {
    return this.namespaces.find((n) => n.hex === h);
  }

  /** Opens the saved world, or seeds a new one. */
  static async open(): Promise<World> {
    const raw = localStorage.getItem(STORAGE_KEY);
    const world = new World();
    if (raw) {
      await world.load(JSON.parse(raw) as Saved);
    } else {
      await world.seed();
    }
    return world;
  }

  private async load(saved: Saved): Promise<void> {
    this.namespaces = saved.namespaces.map((n) => ({ ...n, id: unhex(n.id), hex: n.id }));
    for (const name of PEER_NAMES) {
      const s = saved.peers[name];
      const caps = await Promise.all(s.caps.map((c) => W.Capability.decode(unhex(c))));
      const secrets = new Map(Object.entries(s.namespaceSecrets).map(([k, v]) => [k, unhex(v)] as const));
      const store = await W.openIndexedDBStore(dbName(name));
      this.peers.set(name, new Peer(name, { id: unhex(s.id), secret: unhex(s.secret) }, store, s.known, caps, secrets));
    }
  }

  save(): void {
    const peers = {} as Record<PeerName, SavedPeer>;
    for (const p of this.peers.values()) {
      peers[p.name] = {
        id: hex(p.keypair.id),
        secret: hex(p.keypair.secret),
        known: p.known,
        caps: p.caps.map((c) => hex(c.bytes)),
        namespaceSecrets: Object.fromEntries([...p.namespaceSecrets].map(([k, v]) => [k, hex(v)])),
      };
    }
    const saved: Saved = { namespaces: this.namespaces.map(({ hex: id, name, kind, owner }) => ({ id, name, kind, owner })), peers };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  }

  /** Deletes every store and the saved keys, then seeds afresh. */
  async reset(): Promise<void> {
    for (const p of this.peers.values()) await p.store.close();
    for (const name of PEER_NAMES) await W.deleteIndexedDBStore(dbName(name));
    localStorage.removeItem(STORAGE_KEY);
    this.peers.clear();
    this.namespaces = [];
    await this.seed();
  }

  private async seed(): Promise<void> {
    for (const name of PEER_NAMES) await W.deleteIndexedDBStore(dbName(name));
    for (const name of PEER_NAMES) {
      const keypair = await W.generateSubspaceKeypair();
      this.peers.set(name, new Peer(name, keypair, await W.openIndexedDBStore(dbName(name)), [], [], new Map()));
    }
    const addNs = (kp: W.Keypair, name: string, kind: "communal" | "owned", knownBy: PeerName[], owner?: PeerName) => {
      const info: NamespaceInfo = { id: kp.id, hex: hex(kp.id), name, kind, owner };
      this.namespaces.push(info);
      for (const p of knownBy) this.peer(p).known.push(info.hex);
      return info;
    };
    const friends = addNs(await W.generateCommunalNamespaceKeypair(), "Friends", "communal", ["Alfie", "Betty", "Gemma"]);
    const clubKeys = await W.generateOwnedNamespaceKeypair();
    const club = addNs(clubKeys, "Book Club", "owned", ["Alfie", "Betty", "Gemma"], "Alfie");
    const research = addNs(await W.generateCommunalNamespaceKeypair(), "Research Group", "communal", ["Betty", "Gemma"]);

    const alfie = this.peer("Alfie");
    const betty = this.peer("Betty");
    alfie.namespaceSecrets.set(club.hex, clubKeys.secret);
    const ownerCap = await W.Capability.owned(clubKeys.secret, alfie.id, "write");
    alfie.caps.push(ownerCap);
    betty.caps.push(await ownerCap.delegate(alfie.keypair.secret, new W.Area({ subspace: betty.id, path: W.Path.from("reviews") }), betty.id));

    const minute = 60_000_000n;
    const t0 = W.now() - 60n * minute;
    const seeds: Array<[PeerName, NamespaceInfo, string, string, bigint]> = [
      ["Alfie", friends, "/ideas", "My great idea!", t0],
      ["Betty", friends, "/drawings", "🖼️ a sketch of a willow tree", t0 + minute],
      ["Gemma", friends, "/notes", "I have some thoughts...", t0 + 2n * minute],
      ["Alfie", club, "/books/dune", "Next month: Dune, by Frank Herbert.", t0 + 3n * minute],
      ["Betty", club, "/reviews/dune", "Loved the sandworms. 4/5", t0 + 4n * minute],
      ["Betty", research, "/papers/willow", "Notes on the Willow data model", t0 + 5n * minute],
      ["Gemma", research, "/questions", "How does prefix pruning interact with sync?", t0 + 6n * minute],
    ];
    for (const [who, ns, path, text, ts] of seeds) {
      const result = await this.write(this.peer(who), ns, path.slice(1).split("/"), new TextEncoder().encode(text), ts);
      if (!result.ok) throw new Error(`seeding ${path}: ${result.message}`);
    }
    this.save();
  }

  /** The write capabilities peer holds in ns (communal ones derived from its key). */
  async capabilitiesOf(peer: Peer, ns: NamespaceInfo): Promise<W.Capability[]> {
    if (ns.kind === "communal") return [await W.Capability.communal(ns.id, peer.id, "write")];
    return peer.caps.filter((c) => hex(c.namespaceId) === ns.hex && c.accessMode === "write");
  }

  async buildEntry(peer: Peer, ns: NamespaceInfo, components: string[], payload: Uint8Array, timestamp: bigint): Promise<W.Entry> {
    return W.Entry.builder()
      .namespaceId(ns.id)
      .subspaceId(peer.id)
      .path(W.Path.from(...components))
      .timestamp(timestamp)
      .payload(payload)
      .build();
  }

  /** Authorises entry as peer, with the capability that covers it, or says why it cannot. */
  async authorise(peer: Peer, ns: NamespaceInfo, entry: W.Entry): Promise<Authorisation> {
    const caps = await this.capabilitiesOf(peer, ns);
    if (caps.length === 0) {
      const owner = ns.owner ? `${ns.owner}, its owner,` : "its owner";
      return {
        ok: false,
        message: `Refused: ${peer.name} holds no write capability in “${ns.name}”. It is an owned namespace: only ${owner} or someone ${ns.owner ?? "the owner"} delegated to may write (see “Delegate write access” in ${ns.owner ?? "the owner"}'s pane).`,
      };
    }
    const capability = caps.find((c) => c.grantedArea.includes(entry)) ?? caps[0]!;
    try {
      return { ok: true, authorised: await W.authorise(entry, capability, peer.keypair.secret), capability };
    } catch (err) {
      const code = (err as W.WillowError).code;
      if (code === "entry_outside_area") {
        return {
          ok: false,
          message: `Refused: ${peer.name}'s capability in “${ns.name}” covers only ${areaText(capability.grantedArea, this.nameOf)}; ${entry.path.toString()} lies outside it (${code}).`,
        };
      }
      return { ok: false, message: `Refused: ${errorText(err)}` };
    }
  }

  /** Builds, authorises and ingests an entry, then stores its payload. */
  async write(peer: Peer, ns: NamespaceInfo, components: string[], payload: Uint8Array, timestamp: bigint): Promise<{ ok: true; result: W.IngestResult } | { ok: false; message: string }> {
    const entry = await this.buildEntry(peer, ns, components, payload, timestamp);
    const auth = await this.authorise(peer, ns, entry);
    if (!auth.ok) return auth;
    const store = peer.store.namespace(ns.id);
    const result = await store.ingest(auth.authorised);
    if (result.kind === "inserted") await store.writePayload(entry, payload);
    return { ok: true, result };
  }

  /** from hands to a new capability for area in ns, restricted from one of its own. */
  async delegate(from: Peer, to: Peer, ns: NamespaceInfo, area: W.Area): Promise<W.Capability> {
    const caps = await this.capabilitiesOf(from, ns);
    if (caps.length === 0) throw new Error(`${from.name} holds no capability in “${ns.name}” to delegate from.`);
    const base = caps.find((c) => c.grantedArea.includesArea(area)) ?? caps[0]!;
    const cap = await base.delegate(from.keypair.secret, area, to.id);
    to.caps.push(cap);
    this.save();
    return cap;
  }

  /** Makes peer know the namespaces of ids (after an imported drop). */
  learn(peer: Peer, ids: Iterable<Uint8Array>): string[] {
    const learnt: string[] = [];
    for (const id of ids) {
      const h = hex(id);
      if (!this.namespaceByHex(h)) {
        this.namespaces.push({ id, hex: h, name: `ns ${h.slice(0, 6)}`, kind: W.isCommunalNamespace(id) ? "communal" : "owned" });
      }
      if (!peer.known.includes(h)) {
        peer.known.push(h);
        learnt.push(this.namespaceByHex(h)!.name);
      }
    }
    if (learnt.length) this.save();
    return learnt;
  }
}
