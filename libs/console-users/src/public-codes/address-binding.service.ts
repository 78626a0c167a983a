import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../database/transaction-runner';
import { isUniqueViolation } from '../database/unique-violation';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { EmailAddressUseCase } from '../users/email-address.use-case';
import { UsersRepository } from '../users/users.repository';
import { VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { AccountLookupRepository } from './account-lookup.repository';
import { addressInUse } from './public-code.service';
import { tagVerifyLimit } from './verify-errors';

/** Binding a first email address or phone number to the signed-in account with a code. */
export interface AddressBinding {
  userId: number;
  channel: VerificationChannel;
  /** Normalized address the code was sent to. */
  target: string;
  code: string;
  ip: string;
}

/**
 * Fills in an account's empty email or phone with an address proved by a code sent for it
 * (Fresns templateId 3, "fill in the blank"): the code must have been issued to this account for
 * that address, the slot must still be empty, and nobody else may hold the address.
 */
@Injectable()
export class AddressBindingService {
  constructor(
    private readonly users: UsersRepository,
    private readonly accounts: AccountLookupRepository,
    private readonly verification: VerificationService,
    private readonly emails: EmailAddressUseCase,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async bind(request: AddressBinding): Promise<void> {
    const email = request.channel === VerificationChannel.Email;
    const user = await this.users.findById(request.userId);
    if (!user) {
      throw new DomainError(ErrorCode.UserNotFound, 'The account no longer exists.');
    }
    if (email ? user.email : user.phone) {
      // Changing a bound address needs the old one proved too (templateId 4): not this route's job.
      throw email
        ? new DomainError(ErrorCode.UnsatisfiedAttribute, 'This account already has an email address.', { reason: 'email' })
        : new DomainError(ErrorCode.UnsatisfiedAttribute, 'This account already has a phone number.', { reason: 'phone' });
    }
    let verifiedFor: number | null;
    try {
      const verified = await this.verification.verifyCode({
        purpose: email ? VerificationPurpose.ChangeEmail : VerificationPurpose.ChangePhone,
        channel: request.channel,
        target: request.target,
        code: request.code,
        accountKey: `user:${user.id}`,
        userId: user.id,
      });
      verifiedFor = verified.userId;
    } catch (error) {
      await this.record(user.name, request, 'failure');
      throw tagVerifyLimit(error);
    }
    if (verifiedFor !== user.id) {
      await this.record(user.name, request, 'failure');
      throw new DomainError(ErrorCode.VerificationFailed, 'Invalid verification code.');
    }
    try {
      await this.tx.run(async (manager) => {
        if (await this.accounts.isTaken(request.channel, request.target, manager)) {
          throw addressInUse(request.channel);
        }
        if (email) {
          await this.emails.changeEmail(manager, { userId: user.id, email: request.target, verified: true });
        } else {
          const fresh = (await this.users.findById(user.id, manager))!;
          await this.users.update(manager, fresh, { phone: request.target }, this.clock.now());
        }
        await this.record(user.name, request, 'success', manager);
      });
    } catch (error) {
      throw isUniqueViolation(error) ? addressInUse(request.channel) : error;
    }
  }

  private record(name: string, request: AddressBinding, outcome: 'success' | 'failure', manager?: import('typeorm').EntityManager): Promise<void> {
    return this.audit.record(
      { actor: name, action: request.channel === VerificationChannel.Email ? 'email.bind' : 'phone.bind', target: name, ip: request.ip, outcome, details: { method: 'code' } },
      manager,
    );
  }
}
