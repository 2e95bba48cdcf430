/**
 * Keeps credentials and signed URLs out of messages: URLs lose their query string and
 * fragment (pre-signed dataset URLs carry signatures there), known secrets become "[redacted]".
 */

/** A URL without query string or fragment, for messages. */
export function publicUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/** `text` with every occurrence of each secret (of 4+ characters) replaced by "[redacted]". */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}
