import { changedDerivedColumns } from './users.repository';

describe('changedDerivedColumns', () => {
  const merged = { displayName: 'Ada Lovelace', email: 'Ada@Example.test', emailVerified: true };

  it('writes no derived column when the update leaves their sources alone', () => {
    expect(changedDerivedColumns(merged, { annotations: { a: '1' } })).toEqual({});
    expect(changedDerivedColumns(merged, { lastLoginAt: new Date(), labels: {} })).toEqual({});
  });

  it('writes the lower-cased display name with a display name change only', () => {
    expect(changedDerivedColumns(merged, { displayName: 'Ada Lovelace' })).toEqual({ displayNameLower: 'ada lovelace' });
  });

  it('writes both email columns when the address or its verification changes', () => {
    const both = { emailLower: 'ada@example.test', verifiedEmail: 'ada@example.test' };
    expect(changedDerivedColumns(merged, { email: 'Ada@Example.test' })).toEqual(both);
    expect(changedDerivedColumns(merged, { emailVerified: true })).toEqual(both);
    expect(changedDerivedColumns({ ...merged, emailVerified: false }, { emailVerified: false })).toEqual({ emailLower: 'ada@example.test', verifiedEmail: null });
    expect(changedDerivedColumns({ ...merged, email: null }, { email: null })).toEqual({ emailLower: null, verifiedEmail: null });
  });
});
