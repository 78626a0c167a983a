import type { HaloMetadata } from './halo-role.dto';

/** Halo's `UserSpec` as we serialize it: never the password hash or the TOTP secret. */
export interface HaloUserSpec {
  displayName: string;
  avatar?: string;
  email?: string;
  emailVerified: boolean;
  phone?: string;
  bio?: string;
  registeredAt?: string;
  twoFactorAuthEnabled?: boolean;
  disabled?: boolean;
  loginHistoryLimit?: number;
}

/** Halo's `User` extension. */
export interface HaloUser {
  apiVersion: 'v1alpha1';
  kind: 'User';
  metadata: HaloMetadata;
  spec: HaloUserSpec;
  status: { permalink?: string };
}
