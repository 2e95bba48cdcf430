/**
 * Keeps credentials and signed URLs out of messages: URLs lose their query string and
 * fragment (pre-signed dataset URLs carry signatures there), known secrets become "[redacted]".
 * Order matters: text is always redacted whole, then shortened (`redactAndClip`), so a secret
 * straddling the cut can never leave a prefix behind.
 */

/**
 * A URL without query string or fragment, for messages.
 *
 * @param url - a URL, maybe signed
 * @returns the URL up to its `?` or `#`
 * @throws nothing
 * @example
 * publicUrl("https://bucket/f.parquet?X-Amz-Signature=abc"); // "https://bucket/f.parquet"
 */
export function publicUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

const MARK = "[redacted]";

/** The spellings of a secret a server may echo: as is, URL-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every occurrence of each secret (of 4+ characters) replaced by "[redacted]",
 * also in its URL-encoded and JSON-escaped spellings. With `cut` (the text is the start of a
 * longer body), a trailing prefix of a secret is removed too: the rest of it was never read.
 *
 * @param text - a message
 * @param secrets - the strings to remove; undefined and shorter ones are skipped
 * @param cut - true when `text` was cut from a longer body
 * @returns the scrubbed text
 * @throws nothing
 * @example
 * redactSecrets("Token AB12$SECRETKEY", ["SECRETKEY"]); // "Token AB12$[redacted]"
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[], cut = false): string {
  let out = text;
  for (const s of secrets) {
    if (s === undefined || s.length < 4) continue;
    for (const form of spellings(s)) out = out.split(form).join(MARK);
    if (cut) {
      // The longest prefix of the secret the text ends with (any length: the read stopped inside it).
      for (const form of spellings(s)) {
        for (let k = Math.min(form.length - 1, out.length); k > 0; k--) {
          if (out.endsWith(form.slice(0, k))) {
            out = `${out.slice(0, out.length - k)}${MARK}`;
            break;
          }
        }
      }
    }
  }
  return out;
}

/**
 * Redacts, then shortens to `max` characters (with "…" when cut): the only safe order.
 *
 * @param text - a server's text (an error body, a retMsg)
 * @param secrets - strings to remove first
 * @param max - the longest result, characters (the ellipsis excluded)
 * @param cut - true when `text` is already the start of a longer body
 * @returns the scrubbed, shortened text
 * @throws nothing
 * @example
 * redactAndClip("key=SECRETKEY and more", ["SECRETKEY"], 14); // "key=[redacted]…"
 */
export function redactAndClip(text: string, secrets: readonly (string | undefined)[], max: number, cut = false): string {
  const clean = redactSecrets(text, secrets, cut);
  return clean.length <= max ? clean : `${clean.slice(0, max)}…`;
}

/** The longest secret's length (for reading a little more than what is shown). */
export function longestSecret(secrets: readonly (string | undefined)[]): number {
  let n = 0;
  for (const s of secrets) if (s !== undefined) n = Math.max(n, encodeURIComponent(s).length, JSON.stringify(s).length);
  return n;
}
