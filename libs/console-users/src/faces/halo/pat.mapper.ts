import type { PatDraft, PersonalAccessTokenView } from '../../auth/personal-access-token-view';
import type { PatSpecDto } from './dto/generate-pat.dto';
import { ACCESS_TOKEN_ANNOTATION, HaloPersonalAccessToken } from './dto/halo-pat.dto';

/** A token as Halo's `PersonalAccessToken`; the token value (annotation) only when just generated. */
export function toHaloPat(pat: PersonalAccessTokenView): HaloPersonalAccessToken {
  return {
    apiVersion: 'security.halo.run/v1alpha1',
    kind: 'PersonalAccessToken',
    metadata: {
      name: pat.name,
      annotations: pat.token ? { [ACCESS_TOKEN_ANNOTATION]: pat.token } : {},
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

/** Halo's `PatSpec` (validated: `expiresAt` is strict ISO 8601) as the core's draft. */
export function toPatDraft(spec: PatSpecDto): PatDraft {
  return {
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.expiresAt ? { expiresAt: new Date(spec.expiresAt) } : {}),
    roles: spec.roles ?? [],
    scopes: spec.scopes ?? [],
  };
}
