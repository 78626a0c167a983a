import { VerificationChannel, VerificationPurpose } from '../../verification/verification-purpose';
import { codeTemplate, decodeBase64Password, FresnsTemplate, FresnsUseType, purposeForTemplate, sendRule } from './fresns-rules';

const { Email, Sms } = VerificationChannel;

describe('Fresns templateId → purpose', () => {
  const expected: [FresnsTemplate, VerificationChannel, VerificationPurpose][] = [
    [1, Email, VerificationPurpose.Identity],
    [1, Sms, VerificationPurpose.Identity],
    [2, Email, VerificationPurpose.Register],
    [2, Sms, VerificationPurpose.Register],
    [3, Email, VerificationPurpose.ChangeEmail],
    [3, Sms, VerificationPurpose.ChangePhone],
    [4, Email, VerificationPurpose.Identity],
    [4, Sms, VerificationPurpose.Identity],
    [5, Email, VerificationPurpose.ResetPassword],
    [5, Sms, VerificationPurpose.ResetPassword],
    [6, Email, VerificationPurpose.Identity],
    [7, Sms, VerificationPurpose.Login],
    [8, Email, VerificationPurpose.Identity],
  ];
  for (const [templateId, channel, purpose] of expected) {
    it(`templateId ${templateId} over ${channel} → ${purpose}`, () => {
      const sut = purposeForTemplate;
      expect(sut(templateId, channel)).toBe(purpose);
    });
  }

  it('names the message template after the purpose', () => {
    const sut = codeTemplate;
    expect(sut(VerificationPurpose.ResetPassword)).toBe('code-reset-password');
    expect(sut(VerificationPurpose.Register)).toBe('code-register');
  });
});

describe('Fresns useType rules', () => {
  it('1 new account: only unknown addresses, existence reported when switched on, no login', () => {
    const sut = sendRule(FresnsUseType.NewAccount, VerificationPurpose.Register);
    expect(sut).toEqual({ audience: 'new', needsLogin: false, needsBlankAddress: false, reportsExistence: true });
  });

  it('2 existing account: only an account address, existence reported when switched on', () => {
    const sut = sendRule(FresnsUseType.ExistingAccount, VerificationPurpose.ResetPassword);
    expect(sut).toEqual({ audience: 'existing', needsLogin: false, needsBlankAddress: false, reportsExistence: true });
  });

  it('3 fill in the blank: logged in, own address empty, new address only', () => {
    const sut = sendRule(FresnsUseType.FillInBlank, VerificationPurpose.ChangeEmail);
    expect(sut).toEqual({ audience: 'new', needsLogin: true, needsBlankAddress: true, reportsExistence: true });
  });

  it("4 identity: logged in, the account's own address, nothing to report", () => {
    const sut = sendRule(FresnsUseType.Identity, VerificationPurpose.Identity);
    expect(sut).toEqual({ audience: 'self', needsLogin: true, needsBlankAddress: false, reportsExistence: false });
  });

  it('5 direct: follows the purpose silently (new-address purposes vs account purposes)', () => {
    const sut = (purpose: VerificationPurpose) => sendRule(FresnsUseType.Direct, purpose);
    for (const purpose of [VerificationPurpose.Register, VerificationPurpose.ChangeEmail, VerificationPurpose.ChangePhone]) {
      expect(sut(purpose)).toEqual({ audience: 'new', needsLogin: false, needsBlankAddress: false, reportsExistence: false });
    }
    for (const purpose of [VerificationPurpose.ResetPassword, VerificationPurpose.Identity, VerificationPurpose.Login]) {
      expect(sut(purpose)).toEqual({ audience: 'existing', needsLogin: false, needsBlankAddress: false, reportsExistence: false });
    }
  });
});

describe('Fresns base64 passwords', () => {
  const sut = decodeBase64Password;

  it('decodes base64 of UTF-8, emoji and CJK included', () => {
    expect(sut(Buffer.from('correct horse 🐎 密码').toString('base64'))).toBe('correct horse 🐎 密码');
  });

  it('refuses what is not strict base64 or not UTF-8', () => {
    expect(sut('not base64!')).toBe(null);
    expect(sut('abc')).toBe(null); // length not a multiple of 4
    expect(sut('')).toBe(null);
    expect(sut(Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'))).toBe(null); // invalid UTF-8
  });
});
