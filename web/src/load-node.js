// Reads file: URLs in Node (selected through the "#load" subpath import).
import { readFile } from "node:fs/promises";

export function readFileURL(url) {
  return readFile(url);
}
