import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { UserEntity } from '../users/user.entity';
import { VerificationChannel } from '../verification/verification-purpose';

/** Who holds an address, for the public code endpoints. */
@Injectable()
export class AccountLookupRepository {
  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * The enabled account an address reaches: the holder of the verified email, else the one user
   * whose (unverified) email it is; the one user with that E.164 phone. Ambiguous or disabled →
   * null, so the public answer is the one for an unknown address.
   */
  async accountFor(channel: VerificationChannel, target: string, manager?: EntityManager): Promise<UserEntity | null> {
    const users = (manager ?? this.db.manager).getRepository(UserEntity);
    if (channel === VerificationChannel.Email) {
      // Both queries run whatever the first finds: the number of statements must not tell.
      const [verified, carriers] = await Promise.all([
        users.findOne({ where: { verifiedEmail: target } }),
        users.find({ where: { emailLower: target }, take: 2 }),
      ]);
      if (verified) {
        return verified.disabled ? null : verified;
      }
      return single(carriers);
    }
    return single(await users.find({ where: { phone: target }, take: 2 }));
  }

  /**
   * Whether an address is taken for a new account: a verified email (any account, disabled
   * included, since the unique index would refuse it) or a phone number any account carries.
   */
  async isTaken(channel: VerificationChannel, target: string, manager?: EntityManager): Promise<UserEntity | null> {
    const users = (manager ?? this.db.manager).getRepository(UserEntity);
    return channel === VerificationChannel.Email
      ? users.findOne({ where: { verifiedEmail: target } })
      : users.findOne({ where: { phone: target } });
  }
}

function single(users: UserEntity[]): UserEntity | null {
  return users.length === 1 && !users[0]!.disabled ? users[0]! : null;
}
