/**
 * Keeps credentials and signed URLs out of messages: URLs lose their query string and
 * fragment (pre-signed dataset URLs carry signatures there), known secrets become "[redacted]".
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

/**
 * `text` with every occurrence of each secret (of 4+ characters) replaced by "[redacted]".
 *
 * @param text - a message
 * @param secrets - the strings to remove; undefined and shorter ones are skipped
 * @returns the scrubbed text
 * @throws nothing
 * @example
 * redactSecrets("Token AB12$SECRETKEY", ["SECRETKEY"]); // "Token AB12$[redacted]"
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}
