import { hasRefusedTextCharacters } from './user-text';

describe('user text rules', () => {
  it.each([
    ['an emoji joined with ZWJ', '👩🏽‍💻'],
    ['a Persian name with ZWNJ', 'می‌خواهم'],
    ['RLM and LRM', 'שלום\u200F abc\u200E'],
    ['combining marks', 'Zoe\u0308'],
    ['a zero-width space', 'a\u200Bb'],
  ])('keeps %s', (_, text) => {
    expect(hasRefusedTextCharacters(text)).toBe(false);
  });

  it.each([
    ['a NUL', 'a\u0000b'],
    ['a C1 control', 'a\u0085b'],
    ['a newline in a single-line text', 'a\nb'],
    ['RLO (bidi override)', 'a\u202Eb'],
    ['LRE (bidi embedding)', 'a\u202Ab'],
    ['RLI (bidi isolate)', 'a\u2067b'],
    ['a non-character', 'a\uFDD0b'],
    ['U+FFFF', 'a\uFFFFb'],
    ['a lone surrogate', 'a\uD800b'],
  ])('refuses %s', (_, text) => {
    expect(hasRefusedTextCharacters(text)).toBe(true);
  });

  it('allows line breaks and tabs only in multi-line text', () => {
    expect(hasRefusedTextCharacters('one\r\ntwo\tthree', true)).toBe(false);
    expect(hasRefusedTextCharacters('one\u0000two', true)).toBe(true);
  });
});
