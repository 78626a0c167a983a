/**
 * What people type into names, nicknames and bios: any Unicode text except what only serves to
 * break or disguise it. Refused are C0/C1 controls (line breaks only where the text is
 * multi-line), the bidi embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069, which reorder the text around them: "Trojan Source"), non-characters and lone
 * surrogates (not text at all; PostgreSQL cannot even store the latter). Kept on purpose: ZWJ
 * (emoji sequences such as 👩🏽‍💻), ZWNJ (required in Persian and Indic names), LRM/RLM (mark
 * direction without reordering anything around them) and combining marks.
 */
const REFUSED_IN_TEXT = /[\p{Cc}\u202A-\u202E\u2066-\u2069\p{Noncharacter_Code_Point}\p{Cs}]/u;

/** Line breaks and tabs, allowed in multi-line text (bios). */
const LINE_CHARACTERS = /[\t\n\r]/g;

/** True when `text` holds a character names, nicknames and bios must not contain. */
export function hasRefusedTextCharacters(text: string, multiline = false): boolean {
  return REFUSED_IN_TEXT.test(multiline ? text.replace(LINE_CHARACTERS, '') : text);
}
