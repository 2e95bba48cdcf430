/** A URL without its query string or fragment: signed upload URLs carry their signature there. */
export function publicUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/** `text` with every secret (of 4+ characters) replaced by "[redacted]". */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}

/** An error's message for another message: secrets and signed URL query strings removed. */
export function describeFailure(err: unknown, secrets: readonly (string | undefined)[], urls: readonly string[] = []): string {
  let text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  for (const url of urls) if (url !== publicUrl(url)) text = text.split(url).join(publicUrl(url));
  return redactSecrets(text, secrets);
}
