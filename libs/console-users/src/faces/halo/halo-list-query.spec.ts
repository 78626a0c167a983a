import { DomainError } from '../../errors/domain-error';
import { labelsMatch, listResult, parseFieldSelector, parseLabelSelector, parseSort, withDefaultOrder } from './halo-list-query';

describe('Halo list query parsing', () => {
  describe('parseFieldSelector', () => {
    it('reads =, != and =(a,b)', () => {
      expect(parseFieldSelector('name=halo')).toEqual({ key: 'name', operator: 'equals', value: 'halo' });
      expect(parseFieldSelector('name!=ghost')).toEqual({ key: 'name', operator: 'notEquals', value: 'ghost' });
      expect(parseFieldSelector('roles=(a, b,,c)')).toEqual({ key: 'roles', operator: 'in', values: ['a', 'b', 'c'] });
    });

    it("keeps Halo's quirks: == gives a value starting with =, a later != is part of the value", () => {
      expect(parseFieldSelector('metadata.name==halo')).toEqual({ key: 'metadata.name', operator: 'equals', value: '=halo' });
      expect(parseFieldSelector('a=b!=c')).toEqual({ key: 'a', operator: 'equals', value: 'b!=c' });
    });

    it('refuses a term without an operator or a key', () => {
      for (const raw of ['name', '!name', '=x', ' != x']) {
        expect(() => parseFieldSelector(raw)).toThrow(DomainError);
      }
    });
  });

  describe('parseLabelSelector', () => {
    it('reads existence and absence as well', () => {
      expect(parseLabelSelector('halo.run/hidden')).toEqual({ key: 'halo.run/hidden', operator: 'exists' });
      expect(parseLabelSelector('!halo.run/hidden')).toEqual({ key: 'halo.run/hidden', operator: 'notExists' });
      expect(parseLabelSelector('team=(a,b)')).toEqual({ key: 'team', operator: 'in', values: ['a', 'b'] });
    });

    it('refuses an over-long term', () => {
      expect(() => parseLabelSelector('k='.padEnd(2000, 'v'))).toThrow(DomainError);
    });
  });

  describe('labelsMatch', () => {
    const labels = { team: 'blue' };
    it('treats a missing label as unequal to any value', () => {
      expect(labelsMatch(labels, { key: 'team', operator: 'equals', value: 'blue' })).toBe(true);
      expect(labelsMatch(labels, { key: 'team', operator: 'notEquals', value: 'blue' })).toBe(false);
      expect(labelsMatch({}, { key: 'team', operator: 'notEquals', value: 'blue' })).toBe(true);
      expect(labelsMatch({}, { key: 'team', operator: 'in', values: ['blue'] })).toBe(false);
      expect(labelsMatch(labels, { key: 'team', operator: 'exists' })).toBe(true);
      expect(labelsMatch(labels, { key: 'toString', operator: 'exists' })).toBe(false); // no prototype keys
    });
  });

  describe('parseSort', () => {
    it('reads Spring Data sort parameters, ascending by default', () => {
      expect(parseSort(['metadata.name,desc', 'spec.email'])).toEqual([
        { property: 'metadata.name', direction: 'desc' },
        { property: 'spec.email', direction: 'asc' },
      ]);
      expect(parseSort(['a,b,DESC'])).toEqual([
        { property: 'a', direction: 'desc' },
        { property: 'b', direction: 'desc' },
      ]);
      expect(parseSort(['', ' , '])).toEqual([]);
      expect(() => parseSort(['desc'])).toThrow(DomainError);
    });

    it('appends default orders only for properties not already sorted on', () => {
      const defaults = [
        { property: 'created', direction: 'desc' as const },
        { property: 'name', direction: 'asc' as const },
      ];
      expect(withDefaultOrder([{ property: 'name', direction: 'desc' }], defaults)).toEqual([
        { property: 'name', direction: 'desc' },
        { property: 'created', direction: 'desc' },
      ]);
    });
  });

  describe('listResult', () => {
    it("computes Halo's flags", () => {
      expect(listResult([], 1, 10, 0)).toEqual({
        page: 1, size: 10, total: 0, items: [], first: true, last: true, hasNext: false, hasPrevious: false, totalPages: 0,
      });
      const middle = listResult(['x'], 2, 10, 25);
      expect([middle.totalPages, middle.first, middle.last, middle.hasNext, middle.hasPrevious]).toEqual([3, false, false, true, true]);
      const unpaged = listResult(['x', 'y'], 0, 0, 2);
      expect([unpaged.totalPages, unpaged.first, unpaged.last, unpaged.hasNext]).toEqual([1, true, true, false]);
    });
  });
});
