// Drops between peers: create one for an area, and preview what joining it
// into a store would do, before committing with Store.ingestDrop.
import * as W from "willow-web";
import { hex } from "./util.ts";
import type { Peer } from "./model.ts";

/** The bytes of a drop of the areas of the namespaces, from peer's store. */
export async function dropBytes(peer: Peer, namespaces: readonly Uint8Array[], area: W.Area, withoutPayloads = false): Promise<Uint8Array> {
  const stream = peer.store.createDrop(namespaces.map((namespace) => ({ namespace, area })), { plaintext: true, withoutPayloads });
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A key naming an entry's slot in one namespace of a store. */
export const slotKey = (e: W.Entry): string => `${hex(e.namespaceId)}|${hex(e.subspaceId)}|${e.path.toString()}|${e.timestamp}`;

export interface JoinPreview {
  bytes: Uint8Array;
  items: W.InspectedDropItem[];
  /** Items that would be inserted. */
  additions: W.InspectedDropItem[];
  /** Stored entries the additions would prune. */
  prunes: W.Entry[];
  /** Items that a newer entry (stored, or in the drop) makes obsolete. */
  obsolete: Array<{ item: W.InspectedDropItem; by: W.Entry }>;
  present: number;
  unauthorised: W.InspectedDropItem[];
}

/**
 * What joining the drop into peer's store would do: each item previewed with
 * NamespaceStore.preview, then items pruned by newer items of the same drop
 * dropped from the additions (the package has no whole-drop preview).
 */
export async function previewJoin(peer: Peer, bytes: Uint8Array): Promise<JoinPreview> {
  const items = await W.inspectDrop(bytes);
  const preview: JoinPreview = { bytes, items, additions: [], prunes: [], obsolete: [], present: 0, unauthorised: [] };
  const prunes = new Map<string, W.Entry>();
  for (const item of items) {
    if (!item.authorised) {
      preview.unauthorised.push(item);
      continue;
    }
    const result = await peer.store.namespace(item.entry.namespaceId).preview(item.entry);
    if (result.kind === "alreadyPresent") preview.present++;
    else if (result.kind === "obsolete") preview.obsolete.push({ item, by: result.obsoletedBy });
    else {
      const newer = items.find((o) => o !== item && o.authorised && hex(o.entry.namespaceId) === hex(item.entry.namespaceId) && o.entry.prunes(item.entry));
      if (newer) preview.obsolete.push({ item, by: newer.entry });
      else {
        preview.additions.push(item);
        for (const p of result.pruned) prunes.set(slotKey(p), p);
      }
    }
  }
  preview.prunes = [...prunes.values()];
  return preview;
}
