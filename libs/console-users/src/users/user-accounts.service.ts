import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CredentialRevocationService } from '../auth/credential-revocation.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { isUniqueViolation, TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleNames } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { AVATAR_ANNOTATION, withServerManagedAnnotations } from './user-annotations';
import { AvatarStorage } from './avatar-storage';
import type { CreateUserDto } from '../faces/halo/dto/create-user.dto';
import type { HaloUser } from '../faces/halo/dto/halo-user.dto';
import type { UpdateUserDto } from '../faces/halo/dto/update-user.dto';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from './password-hasher';
import { SYSTEM_USER_NAMES } from './system-users';
import { duplicateName, extensionNotFound, systemUserReadOnly, versionConflict } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toHaloUser } from '../faces/halo/user.mapper';
import { newUser } from './new-user';
import { UsersRepository } from './users.repository';
import { VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';


/**
 * Creating users (console CreateUser) and the core `User` extension endpoints the console uses to
 * edit and delete them.
 */
@Injectable()
export class UserAccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly policy: UserManagementPolicy,
    private readonly revocation: CredentialRevocationService,
    private readonly avatars: AvatarStorage,
    private readonly audit: AuditService,
    private readonly verification: VerificationService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** CreateUser: the user and its role bindings in one transaction; always answers with the `User`. */
  async create(actor: UserPrincipal, body: CreateUserDto, ip: string): Promise<HaloUser> {
    if (await this.users.findByName(body.name)) {
      throw duplicateName(body.name);
    }
    const roles = [...new Set(body.roles ?? [])].filter((r) => r.trim() !== '');
    await this.policy.assertMayGrant(actor, roles);
    const passwordHash = body.password !== undefined ? await this.hasher.hash(body.password) : null;
    const now = this.clock.now();
    try {
      const user = await this.tx.run(async (manager) => {
        const created = await this.users.insert(
          newUser({
            name: body.name,
            displayName: body.displayName && body.displayName.trim() !== '' ? body.displayName : body.name,
            email: body.email,
            avatar: body.avatar || null,
            phone: body.phone ?? null,
            bio: body.bio ?? null,
            passwordHash,
            annotations: withServerManagedAnnotations(body.annotations ?? {}, {}),
          }),
          now,
          manager,
        );
        await this.bindings.replaceRoles(manager, created.name, roles, now);
        await this.audit.record(
          { actor: actor.name, action: 'user.create', target: created.name, ip, outcome: 'success', details: { roles: roles.join(',') } },
          manager,
        );
        return created;
      });
      return toHaloUser(user, this.options.publicUrl);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw duplicateName(body.name);
      }
      throw error;
    }
  }

  /** Core GET: the `User` (without secrets). */
  async get(name: string): Promise<HaloUser> {
    const user = await this.users.findByName(name);
    if (!user) {
      throw extensionNotFound('User', name);
    }
    return toHaloUser(user, this.options.publicUrl);
  }

  /**
   * Core PUT: replaces the writable fields when `metadata.version` still matches (409 otherwise).
   * A changed email is no longer verified, whatever the body says: an admin cannot carry a
   * verification over to an address nobody proved.
   */
  async update(actor: UserPrincipal, name: string, body: UpdateUserDto, ip: string): Promise<HaloUser> {
    if (body.metadata.name !== name) {
      throw new DomainError(ErrorCode.BadRequest, 'The name in the path and in metadata.name must be the same.');
    }
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    const expectedVersion = body.metadata.version;
    try {
      const user = await this.tx.run(async (manager) => {
        const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
        if (!current) {
          throw extensionNotFound('User', name);
        }
        await this.policy.assertMayManage(actor, name, manager);
        if (current.version !== expectedVersion) {
          throw versionConflict();
        }
        const { spec, metadata } = body;
        const email = spec.email && spec.email !== '' ? spec.email : null;
        const emailChanged = (email?.toLowerCase() ?? null) !== (current.email?.toLowerCase() ?? null);
        const updated = await this.users.update(
          manager,
          current,
          {
            displayName: spec.displayName,
            email,
            emailVerified: emailChanged || email === null ? false : (spec.emailVerified ?? false),
            avatar: spec.avatar || null,
            phone: spec.phone ?? null,
            bio: spec.bio ?? null,
            loginHistoryLimit: spec.loginHistoryLimit ?? null,
            labels: metadata.labels ?? {},
            annotations: withServerManagedAnnotations(metadata.annotations ?? {}, current.annotations),
          },
          this.clock.now(),
          expectedVersion,
        );
        if (!updated) {
          throw versionConflict();
        }
        if (emailChanged) {
          // Recovery links and reset codes went to the old address: they die with it.
          await this.revocation.revokeRecoverySecrets(current.id, manager);
        }
        await this.audit.record(
          { actor: actor.name, action: 'user.update', target: name, ip, outcome: 'success', details: { emailChanged: String(emailChanged) } },
          manager,
        );
        return (await this.users.findByName(name, manager))!;
      });
      return toHaloUser(user, this.options.publicUrl);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.BadRequest, 'The email has been used, please change the email and retry.');
      }
      throw error;
    }
  }

  /**
   * Core DELETE: removes the user, its role bindings, sessions, tokens and avatar at once (Halo
   * marks it and lets a reconciler clean up). Answers with the deleted `User`.
   */
  async delete(actor: UserPrincipal, name: string, ip: string): Promise<HaloUser> {
    if (name === actor.name) {
      throw new DomainError(ErrorCode.BadRequest, "The user is the current user, can't delete it.");
    }
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    const now = this.clock.now();
    const deleted = await this.tx.run(async (manager) => {
      await this.users.lockAdministratorSet(manager, this.tx.supportsLocking);
      const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
      if (!current) {
        throw extensionNotFound('User', name);
      }
      await this.policy.assertMayManage(actor, name, manager);
      const roles = await this.bindings.roleNamesOf(name, manager);
      if (
        roles.includes(RoleNames.superRole) &&
        !current.disabled &&
        (await this.users.countEnabledWithRole(manager, RoleNames.superRole, name)) === 0
      ) {
        throw new DomainError(ErrorCode.BadRequest, "The user is the last enabled super-role user, can't delete it.");
      }
      await this.bindings.deleteAllOf(manager, name);
      await this.revocation.forgetUser(current.id, manager);
      await this.verification.revokeForUser(current.id, Object.values(VerificationPurpose), manager);
      await this.users.deleteById(manager, current.id);
      await this.audit.record({ actor: actor.name, action: 'user.delete', target: name, ip, outcome: 'success' }, manager);
      return current;
    });
    await this.avatars.remove(deleted.annotations[AVATAR_ANNOTATION]);
    const user = toHaloUser(deleted, this.options.publicUrl);
    user.metadata.deletionTimestamp = now.toISOString();
    return user;
  }
}
