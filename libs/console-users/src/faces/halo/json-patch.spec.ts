import { applyJsonPatch, parseJsonPatch } from './json-patch';

describe('JSON patch', () => {
  const doc = { metadata: { name: 'ann', annotations: { a: '1' } }, spec: { displayName: 'Ann', tags: ['x'] } };

  it('applies add, remove, replace, move, copy and test to a copy', () => {
    const sut = applyJsonPatch(
      doc,
      parseJsonPatch([
        { op: 'test', path: '/spec/displayName', value: 'Ann' },
        { op: 'replace', path: '/spec/displayName', value: 'Ann B' },
        { op: 'add', path: '/metadata/annotations/b~1c', value: '2' },
        { op: 'remove', path: '/metadata/annotations/a' },
        { op: 'add', path: '/spec/tags/-', value: 'y' },
        { op: 'copy', from: '/spec/displayName', path: '/spec/bio' },
        { op: 'move', from: '/spec/bio', path: '/spec/phone' },
      ]),
    );
    expect(sut).toEqual({ metadata: { name: 'ann', annotations: { 'b/c': '2' } }, spec: { displayName: 'Ann B', tags: ['x', 'y'], phone: 'Ann B' } });
    expect(doc.spec.displayName).toBe('Ann');
  });

  it.each([
    ['not an array', {}],
    ['an unknown op', [{ op: 'merge', path: '/a' }]],
    ['a replace without value', [{ op: 'replace', path: '/spec/displayName' }]],
  ])('refuses %s', (_, body) => {
    expect(() => parseJsonPatch(body)).toThrow(/Invalid JSON patch/);
  });

  it('refuses a failed test, a missing path and __proto__, all or nothing', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/displayName', value: 'Bob' }])).toThrow(/test failed/);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/nothing' }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/__proto__', value: { x: 1 } }])).toThrow(/cannot be written/);
  });
});
