import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
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

  /** Declares the foreign key of `subject_name`; never loaded. */
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'subject_name', referencedColumnName: 'name', foreignKeyConstraintName: 'fk_role_bindings_subject' })
  subject?: UserEntity;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;
}
