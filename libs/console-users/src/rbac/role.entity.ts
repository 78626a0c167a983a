import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/columns';
import type { StringMap } from '../common/json-map';

/** One rule of a role, exactly Halo's `PolicyRule`. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  verbs: string[];
}

/** A Halo `Role`: rules plus labels (template, hidden, aggregate-to-*) and annotations (dependencies, ui-permissions). */
@Entity({ name: 'roles' })
export class RoleEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('ux_roles_name', { unique: true })
  @Column({ type: 'varchar', length: 253 })
  name!: string;

  @Column({ type: 'simple-json' })
  labels!: StringMap;

  @Column({ type: 'simple-json' })
  annotations!: StringMap;

  @Column({ type: 'simple-json' })
  rules!: PolicyRule[];

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;
}
