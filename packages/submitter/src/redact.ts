import { publicUrl, redactSecrets } from "@nmrblox/downloader";

export { publicUrl };

/** An error's message for another message: secrets and signed URL query strings removed. */
export function describeFailure(err: unknown, secrets: readonly (string | undefined)[], urls: readonly string[] = []): string {
  let text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  for (const url of urls) if (url !== publicUrl(url)) text = text.split(url).join(publicUrl(url));
  return redactSecrets(text, secrets);
}
