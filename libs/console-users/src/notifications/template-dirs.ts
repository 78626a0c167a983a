import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The library's own templates, next to this file in the build output. */
export const LIBRARY_TEMPLATES_DIR = join(__dirname, 'templates');

/** Locales we ship templates for; the first is the fallback. */
export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/**
 * Resolves a template file: the host's directory wins, then ours; the requested locale, then
 * English. Returns an absolute path or undefined.
 */
export function findTemplate(dirs: string[], locale: string, name: string): string | undefined {
  for (const loc of locale === 'en' ? ['en'] : [locale, 'en']) {
    for (const dir of dirs) {
      const path = join(dir, loc, name);
      if (existsSync(path)) {
        return path;
      }
    }
  }
  return undefined;
}

/**
 * Picks our locale from a stored preference or an Accept-Language header: any `zh` variant →
 * `zh-CN`, everything else → `en`.
 */
export function resolveLocale(preferred?: string | null, acceptLanguage?: string | null): SupportedLocale {
  const candidates = [preferred ?? '', ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0]!.trim())];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower.startsWith('zh')) {
      return 'zh-CN';
    }
    if (lower.startsWith('en')) {
      return 'en';
    }
  }
  return 'en';
}
