import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** Halo's `UserNotFoundException` (GetUserDetail, ChangeAnyonePassword). */
export function userNotFound(name: string): DomainError {
  return new DomainError(ErrorCode.UserNotFound, `User ${name} was not found`);
}

/** Halo's `ExtensionNotFoundException` for a core extension (`v1alpha1/User/x`, `v1alpha1/Role/x`). */
export function extensionNotFound(kind: 'User' | 'Role', name: string): DomainError {
  return new DomainError(ErrorCode.NotFound, `Extension v1alpha1/${kind}/${name} was not found.`);
}

/** Halo's `DuplicateNameException` for a user name. */
export function duplicateName(name: string): DomainError {
  return new DomainError(ErrorCode.DuplicateName, `The username ${name} already exists, please rename it and retry.`);
}

/** Halo's optimistic-lock conflict. */
export function versionConflict(): DomainError {
  return new DomainError(ErrorCode.Conflict, 'Conflict detected, please check the data and retry.');
}

/** Writes to Halo's system users (`anonymousUser`, `ghost`) are refused. */
export function systemUserReadOnly(name: string): DomainError {
  return new DomainError(ErrorCode.BadRequest, `The user ${name} is a system user and cannot be changed.`);
}
