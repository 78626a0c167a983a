import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../errors/domain-error';
import { labelsMatch, listResult, parseFieldSelector, parseLabelSelector, parseSort, withDefaultOrder } from './halo-list-query';

describe('Halo list query parsing', () => {
  describe('parseFieldSelector', () => {
    it('reads =, != and =(a,b)', () => {
      assert.deepEqual(parseFieldSelector('name=halo'), { key: 'name', operator: 'equals', value: 'halo' });
      assert.deepEqual(parseFieldSelector('name!=ghost'), { key: 'name', operator: 'notEquals', value: 'ghost' });
      assert.deepEqual(parseFieldSelector('roles=(a, b,,c)'), { key: 'roles', operator: 'in', values: ['a', 'b', 'c'] });
    });

    it("keeps Halo's quirks: == gives a value starting with =, a later != is part of the value", () => {
      assert.deepEqual(parseFieldSelector('metadata.name==halo'), { key: 'metadata.name', operator: 'equals', value: '=halo' });
      assert.deepEqual(parseFieldSelector('a=b!=c'), { key: 'a', operator: 'equals', value: 'b!=c' });
    });

    it('refuses a term without an operator or a key', () => {
      for (const raw of ['name', '!name', '=x', ' != x']) {
        assert.throws(() => parseFieldSelector(raw), DomainError, raw);
      }
    });
  });

  describe('parseLabelSelector', () => {
    it('reads existence and absence as well', () => {
      assert.deepEqual(parseLabelSelector('halo.run/hidden'), { key: 'halo.run/hidden', operator: 'exists' });
      assert.deepEqual(parseLabelSelector('!halo.run/hidden'), { key: 'halo.run/hidden', operator: 'notExists' });
      assert.deepEqual(parseLabelSelector('team=(a,b)'), { key: 'team', operator: 'in', values: ['a', 'b'] });
    });

    it('refuses an over-long term', () => {
      assert.throws(() => parseLabelSelector('k='.padEnd(2000, 'v')), DomainError);
    });
  });

  describe('labelsMatch', () => {
    const labels = { team: 'blue' };
    it('treats a missing label as unequal to any value', () => {
      assert.equal(labelsMatch(labels, { key: 'team', operator: 'equals', value: 'blue' }), true);
      assert.equal(labelsMatch(labels, { key: 'team', operator: 'notEquals', value: 'blue' }), false);
      assert.equal(labelsMatch({}, { key: 'team', operator: 'notEquals', value: 'blue' }), true);
      assert.equal(labelsMatch({}, { key: 'team', operator: 'in', values: ['blue'] }), false);
      assert.equal(labelsMatch(labels, { key: 'team', operator: 'exists' }), true);
      assert.equal(labelsMatch(labels, { key: 'toString', operator: 'exists' }), false, 'no prototype keys');
    });
  });

  describe('parseSort', () => {
    it('reads Spring Data sort parameters, ascending by default', () => {
      assert.deepEqual(parseSort(['metadata.name,desc', 'spec.email']), [
        { property: 'metadata.name', direction: 'desc' },
        { property: 'spec.email', direction: 'asc' },
      ]);
      assert.deepEqual(parseSort(['a,b,DESC']), [
        { property: 'a', direction: 'desc' },
        { property: 'b', direction: 'desc' },
      ]);
      assert.deepEqual(parseSort(['', ' , ']), []);
      assert.throws(() => parseSort(['desc']), DomainError);
    });

    it('appends default orders only for properties not already sorted on', () => {
      const defaults = [
        { property: 'created', direction: 'desc' as const },
        { property: 'name', direction: 'asc' as const },
      ];
      assert.deepEqual(withDefaultOrder([{ property: 'name', direction: 'desc' }], defaults), [
        { property: 'name', direction: 'desc' },
        { property: 'created', direction: 'desc' },
      ]);
    });
  });

  describe('listResult', () => {
    it("computes Halo's flags", () => {
      assert.deepEqual(listResult([], 1, 10, 0), {
        page: 1, size: 10, total: 0, items: [], first: true, last: true, hasNext: false, hasPrevious: false, totalPages: 0,
      });
      const middle = listResult(['x'], 2, 10, 25);
      assert.deepEqual([middle.totalPages, middle.first, middle.last, middle.hasNext, middle.hasPrevious], [3, false, false, true, true]);
      const unpaged = listResult(['x', 'y'], 0, 0, 2);
      assert.deepEqual([unpaged.totalPages, unpaged.first, unpaged.last, unpaged.hasNext], [1, true, true, false]);
    });
  });
});
