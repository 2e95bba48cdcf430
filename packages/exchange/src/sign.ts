import { createHmac } from "node:crypto";

/** What Bybit v5 signs: the request's timestamp, key, receive window and payload. */
export interface SignatureInput {
  apiKey: string;
  apiSecret: string;
  /** Milliseconds since the epoch, as sent in X-BAPI-TIMESTAMP. */
  timestamp: number;
  /** Milliseconds, as sent in X-BAPI-RECV-WINDOW. */
  recvWindow: number;
  /** The query string exactly as sent (GET, without "?") or the JSON body exactly as sent (POST). */
  payload: string;
}

/**
 * The X-BAPI-SIGN value of a Bybit v5 request: lower-case hex HMAC-SHA256, keyed by the API
 * secret, of `timestamp + apiKey + recvWindow + payload` (Bybit's documented HMAC scheme). The
 * payload is the query string for GET and the raw JSON body for POST, byte for byte as sent, so
 * callers sign the very string they transmit.
 *
 * @param input - key, secret, timestamp, receive window and payload
 * @returns the signature, 64 lower-case hex characters
 * @throws never throws for string key, secret and payload; it does no validation because the
 * client has checked the credentials before signing
 * @example
 * signBybitRequest({ apiKey: "key", apiSecret: "secret", timestamp: 1658384314791, recvWindow: 5000,
 *   payload: "category=linear&settleCoin=USDT" });
 * // "319be54188c61c65d1e24928474f095bb520695ddb46075ab6083a60975c3cba"
 */
export function signBybitRequest(input: SignatureInput): string {
  const message = `${input.timestamp}${input.apiKey}${input.recvWindow}${input.payload}`;
  return createHmac("sha256", input.apiSecret).update(message, "utf8").digest("hex");
}
