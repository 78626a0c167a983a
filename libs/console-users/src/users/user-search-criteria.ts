/** Properties a user search sorts on. */
export type UserSortKey = 'name' | 'id' | 'displayName' | 'email' | 'createdAt' | 'updatedAt' | 'disabled';

/** Exact filters and a free-text search over listable users; faces translate their own query languages to it. */
export interface UserSearchCriteria {
  name?: string;
  /** Compared case-insensitively. */
  email?: string;
  displayName?: string;
  active?: boolean;
  /** Case-insensitive substring of name, display name or email. */
  text?: string;
  /** In priority order; by name when empty; always by id last, so pages are stable. */
  order: { key: UserSortKey; descending: boolean }[];
  offset: number;
  limit: number;
}
