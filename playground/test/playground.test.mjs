// The playground in Debian's Chromium, driven as a user would (playwright-core,
// no browser download). Usage: node --test test/ (after node build.mjs);
// screenshots go to playground/screenshots/ (gitignored).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { launchChromium } from "../../e2e/chromium.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const shots = path.join(here, "..", "screenshots");
let server, context, page, url, userDataDir, closeChromium;
const T = 30_000;

before(async () => {
  await fs.mkdir(shots, { recursive: true });
  server = spawn(process.execPath, [path.join(here, "..", "server.mjs"), path.join(here, "..", "dist"), "0"], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => { const m = /http:\/\/\S+/.exec(String(d)); if (m) resolve(m[0]); });
    server.on("exit", () => reject(new Error("server exited")));
  });
  ({ context, userDataDir, close: closeChromium } = await launchChromium(chromium, {
    prefix: "willow-playground-",
    options: {
      acceptDownloads: true,
      viewport: { width: 1600, height: 1000 },
    },
  }));
  page = await context.newPage();
  page.on("pageerror", (e) => console.log(`[page error] ${e}`));
  page.on("console", (m) => { if (m.type() === "error") console.log(`[page console] ${m.text()}`); });
  page.setDefaultTimeout(T);
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
});

after(async () => {
  await closeChromium?.();
  server?.kill();
});

const peer = (name) => page.getByRole("region", { name, exact: true });
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const rowsOf = (name) => peer(name).locator("tbody.entry");
const tab = (name, ns) => peer(name).getByRole("tab", { name: new RegExp(`^${ns}`) });

async function fill(name, { path: p, payload = "", timestamp = "" }) {
  const form = peer(name).getByRole("form", { name: `Add an entry as ${name}` });
  await form.getByLabel("Path", { exact: true }).fill(p);
  await form.getByLabel("Payload", { exact: true }).fill(payload);
  await form.getByLabel("Timestamp (µs)").fill(timestamp);
  return form;
}

test("seeds three peers with persistent stores", async () => {
  await peer("Alfie").locator("td.path", { hasText: "/ideas" }).waitFor();
  assert.equal(await rowsOf("Alfie").count(), 1);
  assert.equal(await rowsOf("Betty").count(), 1);
  assert.match(await rowsOf("Gemma").first().innerText(), /\/notes/);
  assert.match(await rowsOf("Alfie").first().innerText(), /communal/);
  await shot("01-start");
});

test("adding an entry shows a preview, then the row", async () => {
  const form = await fill("Alfie", { path: "/ideas/game", payload: "A board game about willows" });
  const preview = form.locator(".preview");
  await page.waitForFunction(() => /adds \/ideas\/game/.test(document.getElementById("Alfie-preview")?.textContent ?? ""));
  assert.equal(await peer("Alfie").locator("tbody.addition").count(), 1);
  assert.match(await preview.innerText(), /Authorised by: communal/);
  await shot("02-add-preview");
  await form.getByRole("button", { name: "Add entry" }).click();
  await peer("Alfie").getByText("Alfie wrote /ideas/game").waitFor();
  assert.equal(await rowsOf("Alfie").count(), 2);
  assert.equal(await page.locator("#Alfie-panel tbody.addition").count(), 0);
  assert.match(await rowsOf("Alfie").nth(1).innerText(), /A board game about willows/);
});

test("a newer entry at a prefix previews and performs the prune", async () => {
  const form = await fill("Alfie", { path: "/ideas", payload: "Scrap those: a fresh idea" });
  await page.waitForFunction(() => /prunes 2 older entries/.test(document.getElementById("Alfie-preview")?.textContent ?? ""));
  assert.equal(await page.locator("#Alfie-panel tbody.prune").count(), 2);
  assert.equal(await page.locator("#Alfie-panel tbody.addition").count(), 1);
  await shot("03-prune-preview");
  await form.getByRole("button", { name: "Add entry" }).click();
  await peer("Alfie").getByText("Alfie wrote /ideas, pruning 2 entries.").waitFor();
  assert.equal(await rowsOf("Alfie").count(), 1);
  assert.match(await rowsOf("Alfie").first().innerText(), /Scrap those/);
});

test("an old timestamp previews as obsolete with an explanation", async () => {
  await fill("Alfie", { path: "/ideas/old", payload: "too late", timestamp: "1000" });
  await page.waitForFunction(() => /^Obsolete: Alfie's entry at \/ideas .* is newer and its path is a prefix/.test(document.getElementById("Alfie-preview")?.textContent ?? ""));
  assert.equal(await page.locator("#Alfie-panel tbody.obsoleting").count(), 1);
  await shot("04-obsolete-preview");
  await fill("Alfie", { path: "" });
  await page.waitForFunction(() => document.getElementById("Alfie-preview")?.textContent === "");
});

test("sync Alfie → Betty → Gemma carries the entry transitively, with previews", async () => {
  const ab = page.getByRole("button", { name: "Sync Friends from Alfie to Betty" });
  await ab.hover();
  const incoming = peer("Betty").locator(".incoming");
  await incoming.getByText(/Betty would gain 1: \/ideas \(Alfie\)/).waitFor();
  assert.match(await incoming.innerText(), /Drop of 1 entry, \d+ bytes/);
  assert.equal(await page.locator("#Betty-panel tbody.addition").count(), 1);
  assert.equal(await page.locator("#Alfie-panel tbody.sending").count(), 1);
  await shot("05-sync-preview");
  await ab.click();
  await page.waitForFunction(() => /Synced from Alfie: 1 inserted/.test(document.getElementById("Betty-incoming")?.textContent ?? ""));
  assert.equal(await rowsOf("Gemma").filter({ hasText: "/ideas" }).count(), 0);
  // No direct Alfie ↔ Gemma: only through Betty.
  assert.equal(await page.getByRole("button", { name: "Sync Friends from Alfie to Gemma" }).count(), 0);
  const bg = page.getByRole("button", { name: "Sync Friends from Betty to Gemma" });
  await bg.focus(); // keyboard focus previews too
  await page.waitForFunction(() => /Gemma would gain 2/.test(document.getElementById("Gemma-incoming")?.textContent ?? ""));
  await bg.click();
  await page.waitForFunction(() => /Synced from Betty: 2 inserted/.test(document.getElementById("Gemma-incoming")?.textContent ?? ""));
  await rowsOf("Gemma").filter({ hasText: "Scrap those: a fresh idea" }).waitFor();
  await page.mouse.move(0, 0);
  await shot("06-synced");
});

test("an unauthorised write is refused, a delegation makes it succeed", async () => {
  await tab("Gemma", "Book Club").click();
  await peer("Gemma").getByRole("caption").filter({ hasText: "Gemma's entries in Book Club" }).waitFor();
  const form = await fill("Gemma", { path: "/reviews/dune-gemma", payload: "Too long, but the worms!" });
  await page.waitForFunction(() => /Refused: Gemma holds no write capability/.test(document.getElementById("Gemma-preview")?.textContent ?? ""));
  await form.getByRole("button", { name: "Add entry" }).click();
  await peer("Gemma").getByRole("status").filter({ hasText: "Refused: Gemma holds no write capability in “Book Club”" }).waitFor();
  assert.equal(await rowsOf("Gemma").count(), 0);
  await shot("07-refused");

  const delegate = peer("Alfie").getByRole("form", { name: "Delegate write access in Book Club as Alfie" });
  await delegate.getByLabel("To").selectOption("Gemma");
  await delegate.getByLabel("Path prefix").fill("/reviews");
  await delegate.getByRole("button", { name: "Delegate" }).click();
  await peer("Gemma").getByText("Gemma: Gemma's subspace, paths under /reviews, any time").waitFor();
  await page.waitForFunction(() => /adds \/reviews\/dune-gemma/.test(document.getElementById("Gemma-preview")?.textContent ?? ""));
  await form.getByRole("button", { name: "Add entry" }).click();
  await peer("Gemma").getByText("Gemma wrote /reviews/dune-gemma.").waitFor();
  assert.match(await rowsOf("Gemma").first().innerText(), /delegated: Alfie → Gemma/);
  await shot("08-delegated");
});

test("a drop file exported from Gemma imports into Alfie", async () => {
  const downloading = page.waitForEvent("download");
  await peer("Gemma").getByRole("button", { name: "Export a drop from Gemma" }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), "gemma-book-club.drop");
  const file = path.join(userDataDir, download.suggestedFilename());
  await download.saveAs(file);
  assert.ok((await fs.stat(file)).size > 200);
  await peer("Alfie").getByLabel("Import a drop file into Alfie").setInputFiles(file);
  await peer("Alfie").getByText(/Preview of gemma-book-club.drop: .*Alfie would gain 1: \/reviews\/dune-gemma \(Gemma\)/).waitFor();
  await shot("09-import-preview");
  await peer("Alfie").getByRole("button", { name: "Join into Alfie's store" }).click();
  await peer("Alfie").getByText(/Imported gemma-book-club.drop into Alfie: 1 inserted/).waitFor();
  await rowsOf("Alfie").filter({ hasText: "/reviews/dune-gemma" }).waitFor();
});

test("the bytes view annotates an entry, its token and a drop", async () => {
  await peer("Alfie").getByRole("button", { name: "Bytes of /reviews/dune-gemma by Gemma in Alfie's store" }).click();
  const bytes = page.getByRole("region", { name: "Bytes view" });
  await bytes.getByText(/^encode_entry: \d+ bytes/).waitFor();
  for (const field of ["namespace_id (32)", "subspace_id (32)", "payload_digest (32)", "initial authorisation (64)", "delegation 1: user (32)", "signature (64)"]) {
    assert.equal(await bytes.getByRole("rowheader", { name: field, exact: true }).count(), 1, field);
  }
  await shot("10-bytes");
  await bytes.getByRole("button", { name: /Show the items of the last drop/ }).click();
  await bytes.getByText(/the terminator/).waitFor();
  assert.match(await bytes.locator("tbody tr").first().innerText(), /0x[67][0-9a-f], new namespace id, new subspace id, timestamp in 8 bytes, the whole payload/);
  await bytes.screenshot({ path: path.join(shots, "10b-drop-items.png") });
});

test("everything is still there after a reload", async () => {
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await rowsOf("Alfie").filter({ hasText: "/reviews/dune-gemma" }).waitFor();
  assert.equal(await rowsOf("Gemma").filter({ hasText: "/reviews/dune-gemma" }).count(), 1);
  await peer("Gemma").getByText("Gemma: Gemma's subspace, paths under /reviews, any time").waitFor();
  await tab("Alfie", "Friends").click();
  await rowsOf("Gemma").filter({ hasText: "Scrap those: a fresh idea" }).waitFor();
  await tab("Alfie", "Research Group").click();
  await peer("Alfie").getByText("Alfie doesn't know about the “Research Group” namespace!").waitFor();
  await shot("11-reloaded-research");
});

test("columns stack at narrow widths", async () => {
  await page.setViewportSize({ width: 480, height: 900 });
  const a = await peer("Alfie").boundingBox();
  const b = await peer("Betty").boundingBox();
  assert.ok(b.y > a.y + a.height - 1, "Betty below Alfie");
  assert.ok(a.width <= 480);
  await page.screenshot({ path: path.join(shots, "12-narrow.png") });
  await page.setViewportSize({ width: 1600, height: 1000 });
});

test("reset restores the seed", async () => {
  await page.getByRole("button", { name: "Reset everything" }).click();
  await page.getByText("Reset: fresh keys, namespaces and seed entries.").waitFor();
  assert.equal(await rowsOf("Alfie").count(), 1);
  assert.match(await rowsOf("Alfie").first().innerText(), /My great idea!/);
});

test("a write outside a delegated area is refused by the capability's area", async () => {
  await tab("Betty", "Book Club").click();
  await fill("Betty", { path: "/books/emma", payload: "Next month?" });
  await page.waitForFunction(() => /Refused: Betty's capability in “Book Club” covers only Betty's subspace, paths under \/reviews, any time; \/books\/emma lies outside it \(entry_outside_area\)/.test(document.getElementById("Betty-preview")?.textContent ?? ""));
  await fill("Betty", { path: "" });
});

test("sync only an area, and entries without payloads", async () => {
  await tab("Betty", "Friends").click();
  const area = page.getByRole("group", { name: "Area for syncs and exports" });
  await area.getByLabel("Path prefix").fill("/nothing-here");
  const ba = page.getByRole("button", { name: "Sync Friends from Betty to Alfie" });
  await ba.hover();
  await peer("Alfie").locator(".incoming").getByText(/Drop of 0 entries, \d+ bytes\. Alfie would gain nothing new/).waitFor();
  await page.mouse.move(0, 0);
  await area.getByLabel("Path prefix").fill("");
  await area.getByLabel("From").fill("2001-01-01T00:00:00");
  await area.getByLabel("Until").fill("2001-01-02T00:00:00");
  await ba.hover();
  await peer("Alfie").locator(".incoming").getByText(/Drop of 0 entries/).waitFor();
  await page.mouse.move(0, 0);
  await area.getByLabel("From").fill("");
  await area.getByLabel("Until").fill("");
  await area.getByLabel("Path prefix").fill("/drawings");
  await area.getByLabel("entries only, no payloads").check();
  await ba.hover();
  await peer("Alfie").locator(".incoming").getByText(/Drop of 1 entry, \d+ bytes\. Alfie would gain 1: \/drawings \(Betty\)/).waitFor();
  await ba.click();
  await peer("Alfie").locator(".incoming").getByText(/Synced from Betty: 1 inserted/).waitFor();
  assert.match(await rowsOf("Alfie").filter({ hasText: "/drawings" }).innerText(), /\(not held\).*none/s);
  await page.mouse.move(0, 0);
  await shot("13-area-sync-no-payloads");
  await area.getByLabel("Path prefix").fill("");
  await area.getByLabel("entries only, no payloads").uncheck();
});

test("namespace tabs follow the arrow keys", async () => {
  await tab("Gemma", "Friends").focus();
  await page.keyboard.press("ArrowRight");
  await peer("Gemma").getByRole("tab", { name: /^Book Club/, selected: true }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "Book Club (owned)" && document.activeElement.id.startsWith("Gemma-tab"));
  assert.equal(await peer("Alfie").getByRole("tab", { selected: true }).innerText(), "Book Club (owned)");
});

test("a file as payload, and a drop of all namespaces teaches Alfie a namespace", async () => {
  await tab("Gemma", "Research Group").click();
  const form = await fill("Gemma", { path: "/data/readings.csv" });
  await form.getByLabel("or a file").setInputFiles({ name: "readings.csv", mimeType: "text/csv", buffer: Buffer.from("t,v\n1,2\n".repeat(200)) });
  await page.waitForFunction(() => /adds \/data\/readings.csv/.test(document.getElementById("Gemma-preview")?.textContent ?? ""));
  await form.getByRole("button", { name: "Add entry" }).click();
  await peer("Gemma").getByText("Gemma wrote /data/readings.csv.").waitFor();
  assert.match(await rowsOf("Gemma").filter({ hasText: "/data/readings.csv" }).innerText(), /1\.6 KiB .* available/s);

  await peer("Alfie").getByText("Alfie doesn't know about the “Research Group” namespace!").waitFor();
  await peer("Gemma").getByLabel("all namespaces").check();
  const downloading = page.waitForEvent("download");
  await peer("Gemma").getByRole("button", { name: "Export a drop from Gemma" }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), "gemma-all.drop");
  const file = path.join(userDataDir, "gemma-all.drop");
  await download.saveAs(file);
  await peer("Alfie").getByLabel("Import a drop file into Alfie").setInputFiles(file);
  await peer("Alfie").getByRole("button", { name: "Join into Alfie's store" }).click();
  await peer("Alfie").getByText(/Imported gemma-all.drop into Alfie: 3 inserted, .* Alfie now knows Research Group\./).waitFor();
  await rowsOf("Alfie").filter({ hasText: "/data/readings.csv" }).waitFor();
  await page.getByRole("button", { name: "Sync Research Group from Alfie to Betty", disabled: false }).waitFor();
  await shot("14-learnt-namespace");
});

test("every control has an accessible name and previews are live regions", async () => {
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || (el.tagName === "BUTTON" && el.textContent?.trim())))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  for (const name of ["Alfie", "Betty", "Gemma"]) {
    assert.equal(await page.locator(`#${name}-preview`).getAttribute("aria-live"), "polite");
    assert.equal(await page.locator(`#${name}-incoming`).getAttribute("aria-live"), "polite");
  }
});

test("copy an entry's link, go to it, and see when it was overwritten", async () => {
  await tab("Alfie", "Friends").click();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin }).catch(() => {});
  await peer("Alfie").getByRole("button", { name: "Copy link to /ideas by Alfie in Alfie's store", exact: true }).click();
  const status = peer("Alfie").locator("p.status", { hasText: "willow://" });
  await status.waitFor();
  assert.match(await status.innerText(), /^(Link copied|Copy this link): willow:\/\/\+[0-9a-f]{64}\.[0-9a-f]{64}\/ideas\?digest=[0-9a-f]{64}$/);
  const link = await status.locator("code.link").innerText();
  if ((await status.innerText()).startsWith("Link copied")) {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  }

  // From another namespace, the link selects Friends and highlights the entry.
  await tab("Alfie", "Book Club").click();
  await page.getByLabel("Go to link").fill(link);
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await page.getByText(/^Link to \/ideas by Alfie in Friends: Alfie holds it \(highlighted\)\./).waitFor();
  assert.equal(await tab("Alfie", "Friends").getAttribute("aria-selected"), "true");
  const linked = peer("Alfie").locator("tbody.linked");
  assert.equal(await linked.count(), 1);
  assert.match(await linked.innerText(), /^linked\.\s.*\/ideas/is);
  await shot("15-go-to-link");

  // A newer entry at the path: the link (with its digest) now says overwritten.
  const form = await fill("Alfie", { path: "/ideas", payload: "newer ideas" });
  await page.waitForFunction(() => /adds \/ideas/.test(document.getElementById("Alfie-preview")?.textContent ?? ""));
  await form.getByRole("button", { name: "Add entry" }).click();
  await peer("Alfie").getByText(/^Alfie wrote \/ideas/).waitFor();
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await page.getByText(/Alfie: overwritten — Alfie holds a newer entry at \/ideas, not the linked one\./).waitFor();
  assert.equal(await peer("Alfie").locator("tbody.linked").count(), 0);

  // A link to a namespace nobody knows, and text that is no link.
  await page.getByLabel("Go to link").fill(link.replace(/^willow:\/\/\+[0-9a-f]{64}/, "willow://+" + "00".repeat(32)));
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await page.getByText(/^No peer here knows the namespace of this link/).waitFor();
  await page.getByLabel("Go to link").fill("https://example.org/ideas");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await page.getByText(/^Not a Willow link: .*\(invalid_uri\)$/).waitFor();
});

test("drops are sealed to a peer by default; the wrong peer cannot open one; plaintext on request", async () => {
  await tab("Alfie", "Friends").click();
  assert.equal(await peer("Alfie").getByLabel("as", { exact: true }).inputValue(), "Betty");
  let downloading = page.waitForEvent("download");
  await peer("Alfie").getByRole("button", { name: "Export a drop from Alfie" }).click();
  let download = await downloading;
  const sealedFile = path.join(userDataDir, "sealed-" + download.suggestedFilename());
  await download.saveAs(sealedFile);
  await peer("Alfie").getByText(/^Exported alfie-friends\.drop \(sealed to Betty\)/).waitFor();
  assert.equal((await fs.readFile(sealedFile)).subarray(0, 22).toString("latin1"), "age-encryption.org/v1\n");

  // Gemma's key does not open it: a clear message, nothing imported.
  const gemmaRows = await rowsOf("Gemma").count();
  await peer("Gemma").getByLabel("Import a drop file into Gemma").setInputFiles(sealedFile);
  await peer("Gemma").getByText(/is sealed to someone else: Gemma's key cannot open it/).waitFor();
  assert.equal(await rowsOf("Gemma").count(), gemmaRows);
  await shot("16-sealed-wrong-peer");

  // Betty's does.
  await peer("Betty").getByLabel("Import a drop file into Betty").setInputFiles(sealedFile);
  await peer("Betty").getByText(/^Preview of sealed-alfie-friends\.drop: .*\(Sealed to Betty; opened with Betty's key\.\)$/).waitFor();
  await peer("Betty").getByRole("button", { name: "Join into Betty's store" }).click();
  await peer("Betty").getByText(/^Imported sealed-alfie-friends\.drop into Betty: .*\(Sealed; opened with Betty's key\.\)$/).waitFor();
  await rowsOf("Betty").filter({ hasText: "/ideas" }).first().waitFor();

  // Plaintext when asked: any peer imports it.
  await peer("Alfie").getByLabel("as", { exact: true }).selectOption("");
  downloading = page.waitForEvent("download");
  await peer("Alfie").getByRole("button", { name: "Export a drop from Alfie" }).click();
  download = await downloading;
  const plainFile = path.join(userDataDir, "plain-" + download.suggestedFilename());
  await download.saveAs(plainFile);
  await peer("Alfie").getByText(/^Exported alfie-friends\.drop \(plaintext\)/).waitFor();
  assert.notEqual((await fs.readFile(plainFile)).subarray(0, 3).toString("latin1"), "age");
  await peer("Gemma").getByLabel("Import a drop file into Gemma").setInputFiles(plainFile);
  await peer("Gemma").getByRole("button", { name: "Join into Gemma's store" }).click();
  await peer("Gemma").getByText(/^Imported plain-alfie-friends\.drop into Gemma: /).waitFor();
});
