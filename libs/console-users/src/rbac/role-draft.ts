/**
 * A role as a client proposes it, in the core's terms. `rules` stay unchecked here: the core
 * checks them rule by rule (every field an array of strings), whatever face they came through.
 */
export interface RoleDraft {
  /** The role name; empty or absent when `generateName` is set. */
  name?: string;
  /** Prefix of a generated name (five random characters are appended). */
  generateName?: string;
  /** Optimistic lock for updates: the version the change is based on. */
  version?: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  rules: readonly unknown[];
}
