import type { PolicyRule } from '../../../rbac/role.entity';

/** Halo's `Metadata`. Null values are omitted, as Halo's Jackson setup does. */
export interface HaloMetadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  version?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
}

/** Halo's `Role`. */
export interface HaloRole {
  apiVersion: 'v1alpha1';
  kind: 'Role';
  metadata: HaloMetadata;
  rules: PolicyRule[];
}
