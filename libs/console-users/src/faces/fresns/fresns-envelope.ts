/** Fresns' answer envelope; HTTP status stays 200 for errors too. */
export interface FresnsEnvelope<T = unknown> {
  code: number;
  message: string;
  data: T | null;
}

/** The success envelope. */
export function fresnsOk<T>(data: T | null = null): FresnsEnvelope<T> {
  return { code: 0, message: 'ok', data };
}

/** Headers Fresns sends on every v2 answer. */
export const FRESNS_HEADERS: Readonly<Record<string, string>> = { 'Fresns-Api': 'v2', 'Fresns-Version': '2.21.4' };
