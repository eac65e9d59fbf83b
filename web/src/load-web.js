// Browsers have no file system: file: URLs are refused (selected through the
// "#load" subpath import everywhere but Node).
import { WillowError } from "./errors.js";

export async function readFileURL(url) {
  throw new WillowError("init_failed", `cannot read ${url} outside Node; pass an http(s) URL, a Response or bytes`);
}
