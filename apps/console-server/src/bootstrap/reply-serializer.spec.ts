import { serializeReply } from './reply-serializer';

/** An answer that counts how often it is turned into JSON. */
function countingAnswer(): { answer: { toJSON(): unknown }; serializations: () => number } {
  let count = 0;
  return {
    answer: {
      toJSON() {
        count++;
        return { user: 'alice', roles: ['editor'] };
      },
    },
    serializations: () => count,
  };
}

describe('serializeReply', () => {
  it('serializes a frozen answer once and reuses the text', () => {
    const { answer, serializations } = countingAnswer();
    Object.freeze(answer);
    expect(serializeReply(answer)).toBe('{"user":"alice","roles":["editor"]}');
    expect(serializeReply(answer)).toBe('{"user":"alice","roles":["editor"]}');
    expect(serializations()).toBe(1);
  });

  it('serializes every other answer each time, as JSON.stringify does', () => {
    const { answer, serializations } = countingAnswer();
    serializeReply(answer);
    serializeReply(answer);
    expect(serializations()).toBe(2);
    const changing = { n: 1 };
    expect(serializeReply(changing)).toBe('{"n":1}');
    changing.n = 2;
    expect(serializeReply(changing)).toBe('{"n":2}');
    expect(serializeReply('text')).toBe('"text"');
    expect(serializeReply(null)).toBe('null');
  });
});
