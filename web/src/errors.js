/**
 * The one error class of willow-web. `code` is a stable string: branch on it,
 * not on `message`. See index.d.ts for the list of codes.
 */
export class WillowError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = "WillowError";
    this.code = code;
  }
}
