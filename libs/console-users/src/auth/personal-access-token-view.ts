import type { PersonalAccessTokenEntity } from './personal-access-token.entity';

/** What a caller asks for when generating a personal access token. */
export interface PatDraft {
  /** The display name. */
  name: string;
  description?: string;
  /** Absent: the token never expires. Must be in the future. */
  expiresAt?: Date;
  /** Roles the token carries; each must be held by its owner. */
  roles: string[];
  scopes: string[];
}

/** A personal access token as the core hands it out: never its hash. */
export interface PersonalAccessTokenView {
  /** The generated identifier (`pat-…`), unique. */
  name: string;
  displayName: string;
  description: string | null;
  username: string;
  roles: string[];
  scopes: string[];
  expiresAt: Date | null;
  lastUsed: Date | null;
  revoked: boolean;
  revokesAt: Date | null;
  version: number;
  createdAt: Date;
  /** The token value: only in the answer to generating it, never again. */
  token?: string;
}

/** The core value of a token row (copies; no hash). */
export function toPersonalAccessTokenView(pat: PersonalAccessTokenEntity, token?: string): PersonalAccessTokenView {
  return {
    name: pat.name,
    displayName: pat.displayName,
    description: pat.description,
    username: pat.username,
    roles: [...pat.roles],
    scopes: [...pat.scopes],
    expiresAt: pat.expiresAt,
    lastUsed: pat.lastUsed,
    revoked: pat.revoked,
    revokesAt: pat.revokesAt,
    version: pat.version,
    createdAt: pat.createdAt,
    ...(token !== undefined ? { token } : {}),
  };
}
