// The playground syncing peers through a running drop relay, in Debian's
// Chromium (playwright-core, no browser download). The relay's URL comes
// from $RELAY_URL: scripts/test-relay.sh runs this against the Worker under
// `wrangler dev` (scripts/relay-dev.sh), after `node build.mjs`. Not under
// test/ because it needs that relay; test-playground.sh runs test/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { chromium } from "playwright-core";
import { launchChromium } from "../../e2e/chromium.mjs";

const relayURL = process.env.RELAY_URL;
if (!relayURL) throw new Error("set RELAY_URL to a running relay (scripts/test-relay.sh does)");
const here = path.dirname(new URL(import.meta.url).pathname);
let server, context, page, closeChromium;

before(async () => {
  server = spawn(process.execPath, [path.join(here, "..", "server.mjs"), path.join(here, "..", "dist"), "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => { const m = /http:\/\/\S+/.exec(String(d)); if (m) resolve(m[0]); });
    server.on("exit", () => reject(new Error("server exited")));
  });
  ({ context, close: closeChromium } = await launchChromium(chromium, {
    prefix: "willow-playground-relay-",
    options: {
      viewport: { width: 1600, height: 1000 },
    },
  }));
  page = await context.newPage();
  page.on("pageerror", (e) => console.log(`[page error] ${e}`));
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
});

after(async () => {
  await closeChromium?.();
  server?.kill();
});

const peer = (name) => page.getByRole("region", { name, exact: true });
const status = (name) => peer(name).locator(".relay-status");
const rowsOf = (name) => peer(name).locator("tbody.entry");
async function waitStatus(name, re) {
  await page.waitForFunction(([id, src]) => new RegExp(src).test(document.querySelector(`#${id}-panel .relay-status`)?.textContent ?? ""), [name, re.source]);
  return status(name).innerText();
}

test("two peers that are not neighbours sync through the relay; plaintext is verified, sealed drops reach only their recipient", async () => {
  // Without a URL the page says what to do.
  await peer("Alfie").getByRole("button", { name: "Push to relay from Alfie" }).click();
  await waitStatus("Alfie", /Enter the relay's URL/);
  await page.getByLabel("Relay URL").fill(relayURL);

  // Alfie pushes a plaintext drop of Friends (only his own entry: the relay verifies and stores it).
  await page.locator("#Alfie-export-to").selectOption("");
  await peer("Alfie").getByRole("button", { name: "Push to relay from Alfie" }).click();
  assert.match(await waitStatus("Alfie", /^(Pushed|Push failed)/), /^Pushed drop [0-9a-f]{8}… of “Friends” \(\d+ bytes, plaintext, verified by the relay\)/);

  // Gemma (no direct sync with Alfie) pulls it.
  assert.equal(await rowsOf("Gemma").filter({ hasText: "/ideas" }).count(), 0);
  await peer("Gemma").getByRole("button", { name: "Pull from relay into Gemma" }).click();
  assert.match(await waitStatus("Gemma", /^(Pulled|Pull failed)/), /^Pulled 1 drop of “Friends” into Gemma: 1 inserted/);
  await rowsOf("Gemma").filter({ hasText: "/ideas" }).waitFor();

  // Gemma's store now holds Alfie's entry: as plaintext the relay refuses it.
  await page.locator("#Gemma-export-to").selectOption("");
  await peer("Gemma").getByRole("button", { name: "Push to relay from Gemma" }).click();
  assert.match(await waitStatus("Gemma", /refused|failed/), /relay_entry_outside_area/);

  // Sealed to Betty, the relay stores it opaque.
  await page.locator("#Gemma-export-to").selectOption("Betty");
  await peer("Gemma").getByRole("button", { name: "Push to relay from Gemma" }).click();
  assert.match(await waitStatus("Gemma", /^(Pushed|Push failed)/), /^Pushed drop .* sealed to Betty\)/);

  // Betty gets both drops (Alfie's entry twice: once already present).
  await peer("Betty").getByRole("button", { name: "Pull from relay into Betty" }).click();
  assert.match(await waitStatus("Betty", /^(Pulled|Pull failed)/), /^Pulled 2 drops of “Friends” into Betty: 2 inserted, 0 pruned, 0 obsolete, 1 already present\./);
  await rowsOf("Betty").filter({ hasText: "/notes" }).waitFor();
  await rowsOf("Betty").filter({ hasText: "/ideas" }).waitFor();

  // Alfie cannot open the drop sealed to Betty.
  await peer("Alfie").getByRole("button", { name: "Pull from relay into Alfie" }).click();
  assert.match(await waitStatus("Alfie", /^(Pulled|Pull failed)/), /^Pulled 2 drops .*: 0 inserted, 0 pruned, 0 obsolete, 1 already present; 1 sealed to someone else \(skipped\)\./);
  assert.equal(await rowsOf("Alfie").filter({ hasText: "/notes" }).count(), 0);
});
