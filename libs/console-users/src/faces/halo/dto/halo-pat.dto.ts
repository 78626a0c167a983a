import type { HaloMetadata } from './halo-role.dto';

/** Halo's `PersonalAccessToken`. */
export interface HaloPersonalAccessToken {
  apiVersion: 'security.halo.run/v1alpha1';
  kind: 'PersonalAccessToken';
  metadata: HaloMetadata;
  spec: {
    name: string;
    description?: string;
    expiresAt?: string;
    lastUsed?: string;
    revoked: boolean;
    revokesAt?: string;
    roles: string[];
    scopes: string[];
    tokenId: string;
    username: string;
  };
}

/** Annotation under which Halo hands out the token value, once, in the generate response. */
export const ACCESS_TOKEN_ANNOTATION = 'security.halo.run/access-token';
