// Before init() (a process of its own: node --test runs each file separately).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as w from "willow-web";

test("calls before init() fail with not_initialised; pure values work", async () => {
  for (const fn of [() => w.hash(new Uint8Array(1)), () => w.generateSubspaceKeypair(), () => w.openMemoryStore()]) {
    await assert.rejects(fn, (err) => err instanceof w.WillowError && err.code === "not_initialised");
  }
  assert.equal(w.Path.from("a").toString(), "/a");
  assert.ok(w.Area.full().includesArea(w.Area.subspace(new Uint8Array(32))));
});

test("init() rejects bad sources with a WillowError or WebAssembly error, and can be retried", async () => {
  await assert.rejects(() => w.init(new Uint8Array([1, 2, 3])));
  await assert.rejects(() => w.init(42), (err) => err.code === "invalid_argument");
  await assert.rejects(() => w.init(undefined, { worker: true }), (err) => err instanceof w.WillowError && err.code === "unsupported");
  const info = await w.init();
  assert.equal(info.mode, "thread");
});
