// An example consumer, type-checked with tsc --noEmit against the installed
// package's index.d.ts (scripts/test-web.sh).
import {
  Area,
  AreaOfInterest,
  Capability,
  Entry,
  Path,
  TimeRange,
  WillowError,
  type Resolved,
  type DropResult,
  ageIdentity,
  ageRecipient,
  openDrop,
  sealDrop,
  relay,
  type WillowUri,
  entryUri,
  formatUri,
  parseUri,
  authorise,
  createHasher,
  encodeEntries,
  generateCommunalNamespaceKeypair,
  generateSubspaceKeypair,
  hash,
  init,
  openMemoryStore,
  type IngestResult,
  type StoredEntry,
} from "willow-web";

export async function main(): Promise<number> {
  const info = await init(new URL("./willow.wasm", import.meta.url), { worker: false });
  const mode: "worker" | "thread" = info.mode;
  const ns = await generateCommunalNamespaceKeypair();
  const me = await generateSubspaceKeypair();
  const entry: Entry = await Entry.builder()
    .namespaceId(ns.id)
    .subspaceId(me.id)
    .path(Path.from("notes", new Uint8Array([1, 2])))
    .now()
    .payload(new TextEncoder().encode("hello"))
    .build();
  const cap = await Capability.communal(ns.id, me.id, "write");
  const authorised = await authorise(entry, cap, me.secret);
  const store = await openMemoryStore();
  const space = store.namespace(ns.id);
  const result: IngestResult = await space.ingest(authorised);
  if (result.kind === "inserted") console.log(result.pruned.length);
  else if (result.kind === "obsolete") console.log(result.obsoletedBy.timestamp + 1n);
  const area = new Area({ subspace: me.id, times: new TimeRange(0n) });
  const found: StoredEntry[] = [];
  for await (const item of space.query(new AreaOfInterest(area, { maxCount: 10n }), { order: "newestFirst" })) {
    found.push(item);
  }
  const h = await createHasher();
  const digest: Uint8Array = await h.update(new Uint8Array(3)).digest();
  const same: boolean = digest.length === (await hash(new Uint8Array(3))).length;
  const codes: Uint8Array[] = await encodeEntries(found.map((f) => f.entry));
  try {
    await Capability.decode(new Uint8Array(1));
  } catch (err) {
    if (err instanceof WillowError && err.code === "truncated") console.log("typed error", err.message);
  }
  const sealedDrop: ReadableStream<Uint8Array> = store.createDrop([{ namespace: ns.id, area: Area.full() }], { sealTo: [me.id, "age1…", { passphrase: "p" }] });
  const opened: DropResult = await store.ingestDrop(sealedDrop, { identities: [me.secret, "AGE-SECRET-KEY-1…"] });
  if (opened.sealed) console.log(await ageRecipient(me.id), await ageIdentity(me.secret));
  const plain = openDrop(sealDrop(store.createDrop([], { plaintext: true }), [me.id]), [{ passphrase: "p" }]);
  console.log(plain.locked);
  const link: string = await entryUri(entry);
  const parsed: WillowUri = await parseUri(link);
  if (parsed.kind === "entry" && parsed.digest) console.log(parsed.digest.length, parsed.from ?? 0n);
  else if (parsed.kind === "area") console.log(parsed.maxCount);
  const resolved: Resolved = await space.resolve(await formatUri(parsed));
  if (resolved.kind === "entry") console.log(resolved.payload?.length, resolved.entry.path.toString());
  else console.log(resolved.entries.length);
  try {
    await store.resolve("willow://nope");
  } catch (err) {
    if (err instanceof WillowError && (err.code === "invalid_uri" || err.code === "overwritten")) console.log(err.code);
  }
  // The drop relay client.
  const access: relay.RelayAccess = { url: "http://127.0.0.1:8787", capability: await Capability.communal(ns.id, me.id, "write"), secret: me.secret };
  const up: relay.RelayUploadResult = await relay.upload(access, new Blob([]), {
    signal: AbortSignal.timeout(1000),
    onProgress: (p: relay.RelayProgress) => console.log(p.phase, p.bytes, p.total ?? "?"),
  });
  const page: relay.RelayListPage = await relay.list(access, { limit: 10, after: up.id });
  const all: relay.RelayDropRecord[] = await relay.listAll(access);
  await store.ingestDrop(await relay.download(access, page.drops[0]?.id ?? up.id));
  await relay.delete(access, all[0]!.id);
  try {
    await relay.list(access);
  } catch (err) {
    if (err instanceof WillowError && (err.code === "relay_not_found" || err.code === "relay_unreachable")) console.log(err.status);
  }
  await store.close();
  return mode === "thread" && same ? codes.length : -1;
}
