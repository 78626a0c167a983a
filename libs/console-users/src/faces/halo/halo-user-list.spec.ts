import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import type { ListUsersQuery } from './dto/list-users.query';
import { toUserListCriteria, USER_PAGE_SIZE } from './halo-user-list';

const query = (q: Partial<ListUsersQuery>) => q as ListUsersQuery;

describe('toUserListCriteria (Halo ListUsers → core criteria)', () => {
  it('defaults: page 1 of the largest size, newest first then by name, no filters', () => {
    expect(toUserListCriteria(query({}))).toEqual({
      page: 1,
      size: USER_PAGE_SIZE,
      criteria: {
        fields: [],
        labels: [],
        keyword: undefined,
        role: undefined,
        sort: [{ key: 'createdAt', direction: 'desc' }, { key: 'name', direction: 'asc' }],
        offset: 0,
        limit: USER_PAGE_SIZE,
      },
    });
  });

  it("translates Halo's field names, selectors, sort and paging into the core's", () => {
    const { criteria, page, size } = toUserListCriteria(
      query({
        page: 3,
        size: 20,
        fieldSelector: ['name!=admin', 'spec.emailVerified=true', 'roles=(a,b)'],
        labelSelector: ['!hidden'],
        sort: ['spec.email,desc', 'name'],
        keyword: '  ',
        role: 'editor',
      }),
    );
    expect([page, size, criteria.offset, criteria.limit]).toEqual([3, 20, 40, 20]);
    expect(criteria.fields).toEqual([
      { key: 'name', operator: 'notEquals', value: 'admin' },
      { key: 'emailVerified', operator: 'equals', value: 'true' },
      { key: 'roles', operator: 'in', values: ['a', 'b'] },
    ]);
    expect(criteria.labels).toEqual([{ key: 'hidden', operator: 'notExists' }]);
    expect(criteria.sort).toEqual([
      { key: 'email', direction: 'desc' },
      { key: 'name', direction: 'asc' },
      { key: 'createdAt', direction: 'desc' },
    ]);
    expect(criteria.keyword).toBeUndefined();
    expect(criteria.role).toBe('editor');
  });

  it('caps the size and refuses unindexed fields and unknown sort properties in Halo words', () => {
    expect(toUserListCriteria(query({ size: 5000 })).size).toBe(USER_PAGE_SIZE);
    const refusal = (q: Partial<ListUsersQuery>) => {
      try {
        toUserListCriteria(query(q));
      } catch (error) {
        return error;
      }
      throw new Error('not refused');
    };
    const field = refusal({ fieldSelector: ['spec.password=x'] });
    expect(field).toBeInstanceOf(DomainError);
    expect(field).toMatchObject({ code: ErrorCode.BadRequest });
    expect((field as Error).message).toContain('use one of name, metadata.name, metadata.creationTimestamp');
    expect(refusal({ fieldSelector: ['toString=x'] })).toMatchObject({ code: ErrorCode.BadRequest });
    expect((refusal({ sort: ['spec.bio,asc'] }) as Error).message).toContain('sort on one of metadata.name, metadata.creationTimestamp');
  });
});
