// Sync through a drop relay (relay/ in the repository, e.g. run locally with
// `bash scripts/relay-dev.sh`): push a peer's drop of one namespace, pull every
// drop of the namespace into another peer. The relay checks Meadowcap
// capabilities: a peer needs a write capability to push (and a plaintext
// drop may only hold entries inside its granted area), a read one to pull.
import * as W from "willow-web";
import { hex } from "./util.ts";
import type { NamespaceInfo, Peer } from "./model.ts";

/**
 * The capability of peer for mode in ns: communal capabilities exist for
 * everyone; in an owned namespace the owner mints one, others use one
 * delegated to them (of that mode); null if the peer has none.
 */
export async function relayCapability(peer: Peer, ns: NamespaceInfo, mode: W.AccessMode): Promise<W.Capability | null> {
  if (ns.kind === "communal") return W.Capability.communal(ns.id, peer.id, mode);
  const secret = peer.namespaceSecrets.get(ns.hex);
  if (secret) return W.Capability.owned(secret, peer.id, mode);
  return peer.caps.find((c) => hex(c.namespaceId) === ns.hex && c.accessMode === mode) ?? null;
}

/** Uploads a drop (plaintext or sealed bytes) with peer's write capability. */
export async function push(url: string, peer: Peer, ns: NamespaceInfo, bytes: Uint8Array): Promise<W.relay.RelayUploadResult> {
  const capability = await relayCapability(peer, ns, "write");
  if (!capability) throw new Error(`${peer.name} holds no write capability in “${ns.name}”`);
  return W.relay.upload({ url, capability, secret: peer.keypair.secret }, bytes);
}

export interface PullSummary {
  drops: number;
  inserted: number;
  pruned: number;
  obsolete: number;
  alreadyPresent: number;
  /** Sealed drops no key of the peer opens (sealed to someone else). */
  notForUs: number;
  /** Drops refused while joining (the relay's copy did not verify, …): their messages. */
  refused: string[];
}

/**
 * Downloads every drop of ns from the relay and joins each into peer's store
 * (opening sealed ones with the peer's key), one drop at a time, streaming.
 */
export async function pull(url: string, peer: Peer, ns: NamespaceInfo, onDrop?: (done: number, total: number) => void): Promise<PullSummary> {
  const capability = await relayCapability(peer, ns, "read");
  if (!capability) throw new Error(`${peer.name} holds no read capability in “${ns.name}”`);
  const access = { url, capability, secret: peer.keypair.secret };
  const records = await W.relay.listAll(access);
  const sum: PullSummary = { drops: records.length, inserted: 0, pruned: 0, obsolete: 0, alreadyPresent: 0, notForUs: 0, refused: [] };
  let done = 0;
  for (const rec of records) {
    try {
      const r = await peer.store.ingestDrop(await W.relay.download(access, rec.id), { identities: [peer.keypair.secret] });
      sum.inserted += r.inserted;
      sum.pruned += r.pruned;
      sum.obsolete += r.obsolete;
      sum.alreadyPresent += r.alreadyPresent;
    } catch (err) {
      if (err instanceof W.WillowError && err.code === "no_matching_identity") sum.notForUs++;
      else if (err instanceof W.WillowError && !err.code.startsWith("relay_")) sum.refused.push(`${rec.id.slice(0, 8)}…: ${err.message} (${err.code})`);
      else throw err;
    }
    onDrop?.(++done, records.length);
  }
  return sum;
}
