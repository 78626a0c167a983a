/** A string-to-string map as stored in labels and annotations. */
export type StringMap = Record<string, string>;

/** Parses a JSON array of strings stored in an annotation; anything else yields `[]`. */
export function parseStringArray(raw: string | undefined): string[] {
  if (!raw) {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
