// A tiny static file server for the built playground.
// Usage: node server.mjs <dir> [port]   (port default: $PORT or 8080; 0 picks a free one)
// Serves .wasm as application/wasm; only files inside <dir>; prints the URL.
import http from "node:http";
import fs from "node:fs/promises";
import path from "node:path";

const dir = path.resolve(process.argv[2] ?? "dist");
const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
};

const server = http.createServer(async (req, res) => {
  let rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  if (rel.endsWith("/")) rel += "index.html";
  const file = path.join(dir, rel);
  if (!file.startsWith(dir + path.sep)) return res.writeHead(403).end();
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
});
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  console.log(`playground: serving ${dir} on http://127.0.0.1:${actual}/`);
});
