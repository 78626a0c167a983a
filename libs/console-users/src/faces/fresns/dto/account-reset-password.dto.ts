import { FresnsAccount, FresnsAccountType, FresnsCountryCode, FresnsPassword, FresnsVerifyCode } from './fresns-fields.decorator';

/** Body of Fresns' `PUT /api/v2/account/reset-password`. */
export class AccountResetPasswordDto {
  @FresnsAccountType()
  type!: 'email' | 'phone';

  @FresnsAccount()
  account!: string;

  @FresnsCountryCode()
  countryCode?: string;

  @FresnsVerifyCode()
  verifyCode!: string;

  @FresnsPassword('newPassword', 'base64 of the new password')
  newPassword!: string;
}
