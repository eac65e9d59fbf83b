// Bundles the playground into dist/: index.html, style.css, main.js (esbuild,
// ESM) and willow.wasm copied from the installed willow-web package, which
// init() finds next to the bundle (new URL("./willow.wasm", import.meta.url)).
// Usage: node build.mjs
import * as esbuild from "esbuild";
import fs from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const out = new URL("./dist/", import.meta.url);
await fs.rm(out, { recursive: true, force: true });
await fs.mkdir(out, { recursive: true });
await esbuild.build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  format: "esm",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
  outfile: "dist/main.js",
});
await fs.copyFile(require.resolve("willow-web/willow.wasm"), new URL("willow.wasm", out));
for (const f of ["index.html", "style.css"]) await fs.copyFile(new URL(f, import.meta.url), new URL(f, out));
const sizes = await Promise.all(["main.js", "willow.wasm"].map(async (f) => `${f} ${(await fs.stat(new URL(f, out))).size} B`));
console.log(`playground: built dist/ (${sizes.join(", ")})`);
