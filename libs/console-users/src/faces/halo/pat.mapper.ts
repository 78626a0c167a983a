import type { PersonalAccessTokenEntity } from '../../auth/personal-access-token.entity';
import { ACCESS_TOKEN_ANNOTATION, HaloPersonalAccessToken } from './dto/halo-pat.dto';

/** A token row as Halo's `PersonalAccessToken`; the token value only when just generated. */
export function toHaloPat(pat: PersonalAccessTokenEntity, tokenValue?: string): HaloPersonalAccessToken {
  return {
    apiVersion: 'security.halo.run/v1alpha1',
    kind: 'PersonalAccessToken',
    metadata: {
      name: pat.name,
      annotations: tokenValue ? { [ACCESS_TOKEN_ANNOTATION]: tokenValue } : {},
      version: pat.version,
      creationTimestamp: pat.createdAt.toISOString(),
    },
    spec: {
      name: pat.displayName,
      ...(pat.description ? { description: pat.description } : {}),
      ...(pat.expiresAt ? { expiresAt: pat.expiresAt.toISOString() } : {}),
      ...(pat.lastUsed ? { lastUsed: pat.lastUsed.toISOString() } : {}),
      revoked: pat.revoked,
      ...(pat.revokesAt ? { revokesAt: pat.revokesAt.toISOString() } : {}),
      roles: [...pat.roles],
      scopes: [...pat.scopes],
      tokenId: pat.name,
      username: pat.username,
    },
  };
}
