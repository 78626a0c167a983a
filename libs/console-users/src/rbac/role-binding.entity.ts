import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/columns';

/**
 * Binds one user to one role (Halo's `RoleBinding` with a single `User` subject, named
 * `<user>-<role>-binding`).
 */
@Entity({ name: 'role_bindings' })
@Index('ux_role_bindings_subject_role', ['subjectName', 'roleName'], { unique: true })
@Index('ix_role_bindings_role_subject', ['roleName', 'subjectName'])
export class RoleBindingEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('ux_role_bindings_name', { unique: true })
  @Column({ type: 'varchar', length: 253 })
  name!: string;

  @Column({ name: 'role_name', type: 'varchar', length: 253 })
  roleName!: string;

  /** The user's name; a foreign key to `users.name` (`fk_role_bindings_subject`, deleted with the user). */
  @Column({ name: 'subject_name', type: 'varchar', length: 63 })
  subjectName!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;
}
