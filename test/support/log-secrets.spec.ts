import { standaloneCode } from './log-secrets';

describe('standaloneCode', () => {
  const code = '078748';

  it.each([
    ['a query value', '"url":"/verify?user=25&code=078748"'],
    ['a JSON string', '{"verificationCode":"078748"}'],
    ['a JSON number-like value', '{"code":078748}'],
    ['words', 'sent code 078748 to a@example.test'],
    ['the end of a sentence', 'Your code is 078748.'],
    ['the start of the text', '078748 was sent'],
  ])('finds a code written as %s', (_, text) => {
    expect(text).toMatch(standaloneCode(code));
  });

  it.each([
    ['a request id', '"id":"0b1bbe0f-2555-438d-ab0e-9f1078748c2e"'],
    ['a request id segment start', '"id":"078748ab-2555-438d-ab0e-9f1c7e9303b2"'],
    ['a timestamp', '"time":1796678782153078748'],
    ['a longer number', '"size":10787481'],
    ['a decimal', '"ratio":0.078748'],
    ['a decimal with the code first', '"ratio":078748.5'],
  ])('does not find it inside %s', (_, text) => {
    expect(text).not.toMatch(standaloneCode(code));
  });

  it('refuses anything but digits, which would turn into a pattern', () => {
    expect(() => standaloneCode('07.748')).toThrow(/expects digits/);
  });
});
