// Sealed drops: age files (age-encryption.org/v1) whose plaintext is a drop.
// Encryption and decryption use the age-encryption package (TypeScript age
// by age's author), loaded with a dynamic import the first time a drop is
// sealed or opened; the module only derives age keys from subspace keys
// (seal/agekey), so "seal to Betty" is her subspace id with the derivation
// the Go side and the stock age CLI agree on.

import { WillowError } from "./errors.js";

const MAGIC = new TextEncoder().encode("age-encryption.org/v1\n");
let ageModule = null;

/** The age-encryption module, loaded once on first use. */
function loadAge() {
  ageModule ??= import("age-encryption").catch((err) => {
    ageModule = null;
    throw new WillowError("unsupported", `the age-encryption package could not be loaded: ${err?.message ?? err}`, { cause: err });
  });
  return ageModule;
}

/** Whether bytes begin (as far as they go) like an age file; exact once they hold the 22-byte magic. */
export function looksSealed(prefix) {
  const n = Math.min(prefix.length, MAGIC.length);
  for (let i = 0; i < n; i++) if (prefix[i] !== MAGIC[i]) return false;
  return prefix.length >= MAGIC.length;
}

const invalid = (message) => new WillowError("invalid_argument", message);

/**
 * Splits recipients/identities into subspace keys (32-byte Uint8Arrays),
 * age strings with the given prefix, and passphrases; checks the types.
 */
function classify(list, what, prefix) {
  if (!Array.isArray(list) || list.length === 0) throw invalid(`${what} must be a non-empty array`);
  const keys = [];
  const strings = [];
  const passphrases = [];
  for (const x of list) {
    if (x instanceof Uint8Array) {
      if (x.length !== 32) throw invalid(`a subspace key in ${what} must be 32 bytes, got ${x.length}`);
      keys.push(x);
    } else if (typeof x === "string") {
      if (!x.startsWith(prefix)) throw invalid(`${what} takes subspace keys, "${prefix}…" strings and { passphrase } objects, got "${x.slice(0, 16)}…"`);
      strings.push(x);
    } else if (x && typeof x === "object" && typeof x.passphrase === "string") {
      if (x.passphrase === "") throw invalid("an empty passphrase");
      passphrases.push(x.passphrase);
    } else {
      throw invalid(`${what} takes subspace keys, "${prefix}…" strings and { passphrase } objects`);
    }
  }
  return { keys, strings, passphrases };
}

/** Checks recipients synchronously (types, a passphrase alone). */
export function checkRecipients(recipients) {
  const c = classify(recipients, "sealTo", "age1");
  if (c.passphrases.length && (c.passphrases.length > 1 || c.keys.length || c.strings.length)) {
    throw invalid("a passphrase must be the only recipient (age's rule)");
  }
  return c;
}

/** Checks identities synchronously. */
export function checkIdentities(identities) {
  return classify(identities, "identities", "AGE-SECRET-KEY-1");
}

/** A ReadableStream that yields the chunks of an async iterator. */
function iteratorStream(it) {
  return new ReadableStream(
    {
      async pull(controller) {
        const { done, value } = await it.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        await it.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** A ReadableStream whose source is set up on the first read (errors surface there). */
function lazyStream(open, onCancel) {
  let reader = null;
  return new ReadableStream(
    {
      async pull(controller) {
        reader ??= (await open()).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        if (reader) await reader.cancel(reason);
        else await onCancel?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function ageError(err, code, message) {
  if (err instanceof WillowError) return err;
  return new WillowError(code, `${message}: ${err?.message ?? err}`, { cause: err });
}

/**
 * Seals a plaintext drop stream to recipients; derive(kind, keys) turns
 * subspace ids into age1… strings through the module. Streams: age-encryption
 * encrypts chunk by chunk (64 KiB STREAM chunks).
 */
export function sealStream(plain, recipients, derive) {
  if (!(plain instanceof ReadableStream)) throw invalid("sealDrop takes a ReadableStream of drop bytes");
  const c = checkRecipients(recipients);
  return lazyStream(
    async () => {
      const age = await loadAge();
      const e = new age.Encrypter();
      try {
        if (c.passphrases.length) e.setPassphrase(c.passphrases[0]);
        for (const s of c.strings) e.addRecipient(s);
        for (const s of c.keys.length ? await derive(0, c.keys) : []) e.addRecipient(s);
      } catch (err) {
        throw ageError(err, "invalid_argument", "bad recipient");
      }
      let first = true;
      const checked = plain.pipeThrough(
        new TransformStream({
          transform(chunk, controller) {
            if (first && chunk.length > 0) {
              first = false;
              if (!isDropStart(chunk[0])) throw new WillowError("not_a_drop", "the stream to seal does not begin a drop");
            }
            controller.enqueue(chunk);
          },
        }),
      );
      return e.encrypt(checked);
    },
    (reason) => plain.cancel(reason),
  );
}

/** A drop begins with 0x00 (no items) or an item header 01xxxxxx. */
function isDropStart(b) {
  return b === 0 || (b & 0xc0) === 0x40;
}

/**
 * Reads the first bytes of a source (an async iterator of chunks) until
 * there are at least n or it ends; returns them and an iterator of all chunks.
 */
export async function peek(it, n) {
  const head = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const { done, value } = await it.next();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    have += value.length;
  }
  const prefix = new Uint8Array(have);
  let off = 0;
  for (const c of head) {
    prefix.set(c, off);
    off += c.length;
  }
  async function* all() {
    for (const c of head) yield c;
    if (ended) return;
    for (;;) {
      const { done, value } = await it.next();
      if (done) return;
      yield value;
    }
  }
  return { prefix, chunks: all() };
}

/** The text of the age header (up to and including the "---" line), if the prefix holds it. */
function headerText(prefix) {
  const text = new TextDecoder("latin1").decode(prefix);
  const end = text.indexOf("\n---");
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Opens a sealed drop from an async iterator of chunks; resolves with a
 * ReadableStream of the plaintext drop. Maps age's errors to codes.
 */
export async function openIterator(it, identities, derive) {
  const c = checkIdentities(identities);
  // The header: read until its MAC line (or 64 KiB) so its stanzas can tell
  // a wrong passphrase from a missing identity.
  const { prefix, chunks } = await peekHeader(it);
  if (!looksSealed(prefix)) {
    throw new WillowError(prefix.length && isDropStart(prefix[0]) ? "not_sealed" : "not_a_drop", prefix.length && isDropStart(prefix[0]) ? "this is a plaintext drop, not a sealed one" : "neither a sealed nor a plaintext drop");
  }
  const age = await loadAge();
  const d = new age.Decrypter();
  try {
    for (const p of c.passphrases) d.addPassphrase(p);
    for (const s of c.strings) d.addIdentity(s);
    for (const s of c.keys.length ? await derive(1, c.keys) : []) d.addIdentity(s);
  } catch (err) {
    throw ageError(err, "invalid_argument", "bad identity");
  }
  const header = headerText(prefix);
  const scrypt = /\n-> scrypt /.test(header);
  let out;
  try {
    out = await d.decrypt(iteratorStream(chunks));
  } catch (err) {
    const m = String(err?.message ?? err);
    if (/no identity matched/.test(m)) {
      if (scrypt && c.passphrases.length) throw new WillowError("wrong_passphrase", "the passphrase does not open this sealed drop", { cause: err });
      throw new WillowError("no_matching_identity", scrypt ? "this sealed drop wants a passphrase" : "none of the identities opens this sealed drop", { cause: err });
    }
    throw ageError(err, "tampered", "the sealed drop's header is damaged");
  }
  // Errors of the decrypting stream (a bad chunk tag, a cut) become
  // tampered; the first plaintext byte must begin a drop.
  const reader = out.getReader();
  let empty = true;
  return new ReadableStream(
    {
      async pull(controller) {
        let r;
        try {
          r = await reader.read();
        } catch (err) {
          throw ageError(err, "tampered", "the sealed drop is damaged or truncated");
        }
        if (r.done) {
          if (empty) throw new WillowError("not_a_drop", "the sealed file's plaintext is empty");
          controller.close();
          return;
        }
        if (empty && r.value.length > 0) {
          empty = false;
          if (!isDropStart(r.value[0])) throw new WillowError("not_a_drop", "the sealed file's plaintext is not a drop");
        }
        controller.enqueue(r.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

async function peekHeader(it) {
  let { prefix, chunks } = await peek(it, MAGIC.length);
  if (!looksSealed(prefix)) return { prefix, chunks };
  // Extend the peek until the "---" MAC line ends or 64 KiB.
  const inner = chunks[Symbol.asyncIterator]();
  const parts = [];
  let text = "";
  let have = 0;
  for (;;) {
    const { done, value } = await inner.next();
    if (done) break;
    parts.push(value);
    have += value.length;
    text += new TextDecoder("latin1").decode(value);
    const i = text.indexOf("\n---");
    if ((i >= 0 && text.indexOf("\n", i + 1) >= 0) || have > 64 << 10) break;
  }
  const all = new Uint8Array(have);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  async function* rest() {
    for (const p of parts) yield p;
    for (;;) {
      const { done, value } = await inner.next();
      if (done) return;
      yield value;
    }
  }
  return { prefix: all, chunks: rest() };
}

/** openIterator as a ReadableStream set up on the first read. */
export function openStream(it, identities, derive) {
  checkIdentities(identities);
  return lazyStream(
    () => openIterator(it, identities, derive),
    (reason) => it.return?.(reason),
  );
}
