import { bindNamedParameters } from './named-parameters';

const question = () => '?';
const dollar = (_key: string, index: number) => `$${index + 1}`;
const same = (value: unknown) => value;

describe('bindNamedParameters', () => {
  it("writes each :name in the driver's form and lists the values in order", () => {
    const sql = 'UPDATE t SET a = :a, b = :b WHERE id = :id AND a <> :a';
    expect(bindNamedParameters(sql, { a: 1, b: 'x', id: 7 }, dollar, same)).toEqual([
      'UPDATE t SET a = $1, b = $2 WHERE id = $3 AND a <> $4',
      [1, 'x', 7, 1],
    ]);
    expect(bindNamedParameters(sql, { a: 1, b: 'x', id: 7 }, question, same)).toEqual(['UPDATE t SET a = ?, b = ? WHERE id = ? AND a <> ?', [1, 'x', 7, 1]]);
  });

  it('expands :...name into one parameter per element', () => {
    expect(bindNamedParameters('DELETE FROM t WHERE k IN (:...keys) AND n > :n', { keys: ['a', 'b', 'c'], n: 2 }, dollar, same)).toEqual([
      'DELETE FROM t WHERE k IN ($1, $2, $3) AND n > $4',
      ['a', 'b', 'c', 2],
    ]);
  });

  it('leaves names that are not parameters as written (casts), and text without any untouched', () => {
    expect(bindNamedParameters('SELECT :v::text AS x, y::int FROM t', { v: 'a' }, dollar, same)).toEqual(['SELECT $1::text AS x, y::int FROM t', ['a']]);
    const plain = 'SELECT 1';
    expect(bindNamedParameters(plain, {}, dollar, same)).toEqual([plain, []]);
  });

  it('gives each call its own values and parameter numbers, the same text parsed once or not', () => {
    const sql = 'SELECT * FROM t WHERE k IN (:...keys) AND at > :now';
    expect(bindNamedParameters(sql, { keys: ['a'], now: 1 }, dollar, same)).toEqual(['SELECT * FROM t WHERE k IN ($1) AND at > $2', ['a', 1]]);
    expect(bindNamedParameters(sql, { keys: ['b', 'c'], now: 2 }, dollar, same)).toEqual(['SELECT * FROM t WHERE k IN ($1, $2) AND at > $3', ['b', 'c', 2]]);
  });

  it('binds every value through `bindable`', () => {
    const asBigInt = (value: unknown) => (typeof value === 'number' ? BigInt(value) : value);
    expect(bindNamedParameters('SELECT :n, :s', { n: 5, s: 'x' }, question, asBigInt)).toEqual(['SELECT ?, ?', [5n, 'x']]);
  });
});

describe('bindNamedParameters, reusing the bound text', () => {
  it('hands the same writer the same text object for the same statement, and new values each time', () => {
    const writer = (_key: string, index: number) => `$${index + 1}`;
    const sql = 'UPDATE r SET hits = hits + 1 WHERE k = :k AND at > :now';
    const [first, a] = bindNamedParameters(sql, { k: 'a', now: 1 }, writer, same);
    const [second, b] = bindNamedParameters(sql, { k: 'b', now: 2 }, writer, same);
    expect(second).toBe(first);
    expect(first).toBe('UPDATE r SET hits = hits + 1 WHERE k = $1 AND at > $2');
    expect([a, b]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    // Another driver's writer gets its own text.
    expect(bindNamedParameters(sql, { k: 'c', now: 3 }, question, same)).toEqual(['UPDATE r SET hits = hits + 1 WHERE k = ? AND at > ?', ['c', 3]]);
    // A missing name is written as it stands, not from the reused text.
    expect(bindNamedParameters(sql, { k: 'd' }, writer, same)).toEqual(['UPDATE r SET hits = hits + 1 WHERE k = $1 AND at > :now', ['d']]);
  });
});
