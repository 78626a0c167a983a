import type { ConsoleResponse } from '../../http/http-types';
import { setHeader } from '../../http/http-types';
import type { SupportedLocale } from '../../notifications/template-dirs';
import { sendRaw } from '../face-response';

/** The texts of the link pages, per locale. */
interface PageTexts {
  verifiedTitle: string;
  verified: string;
  resetTitle: string;
  resetIntro: string;
  newPassword: string;
  confirmPassword: string;
  passwordHint: string;
  submit: string;
  resetDoneTitle: string;
  resetDone: string;
  failedTitle: string;
  invalidLink: string;
  mismatch: string;
}

/** Page texts; the server's messages (English) fill in the details of other failures. */
export const PAGE_TEXTS = {
  en: {
    verifiedTitle: 'Email verified',
    verified: 'Your email address has been verified. You can close this page and sign in.',
    resetTitle: 'Set a new password',
    resetIntro: 'Choose a new password for',
    newPassword: 'New password',
    confirmPassword: 'Repeat the new password',
    passwordHint: '8 to 128 characters.',
    submit: 'Change password',
    resetDoneTitle: 'Password changed',
    resetDone: 'Your password has been changed and every other session was signed out. You can sign in with the new password.',
    failedTitle: 'That did not work',
    invalidLink: 'The link is invalid, expired or already used. Please ask for a new one.',
    mismatch: 'The two passwords do not match.',
  },
  'zh-CN': {
    verifiedTitle: '邮箱已验证',
    verified: '您的邮箱地址已验证。可以关闭此页面并登录。',
    resetTitle: '设置新密码',
    resetIntro: '为以下账号设置新密码：',
    newPassword: '新密码',
    confirmPassword: '再次输入新密码',
    passwordHint: '8 到 128 个字符。',
    submit: '修改密码',
    resetDoneTitle: '密码已修改',
    resetDone: '密码已修改，其他所有登录会话均已退出。请使用新密码登录。',
    failedTitle: '操作未成功',
    invalidLink: '链接无效、已过期或已被使用，请重新获取。',
    mismatch: '两次输入的密码不一致。',
  },
} satisfies Record<SupportedLocale, PageTexts>;

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(locale: SupportedLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1.2rem}.error{color:#b00020}.hint{color:#666;font-size:.9rem}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/** A page with one message. */
export function messagePage(locale: SupportedLocale, title: string, message: string): string {
  return layout(locale, title, `<p>${escapeHtml(message)}</p>`);
}

/** The values the reset form carries back to `POST /api/password/reset`. */
export interface ResetFormValues {
  action: string;
  email: string;
  token: string;
  code: string;
  error?: string;
}

/** The reset page: the link's values in hidden fields, the new password twice. */
export function resetFormPage(locale: SupportedLocale, form: ResetFormValues): string {
  const t = PAGE_TEXTS[locale];
  const error = form.error ? `<p class="error" role="alert">${escapeHtml(form.error)}</p>` : '';
  return layout(
    locale,
    t.resetTitle,
    `<p>${escapeHtml(t.resetIntro)} <strong>${escapeHtml(form.email)}</strong></p>
${error}<form method="post" action="${escapeHtml(form.action)}" autocomplete="off">
<input type="hidden" name="email" value="${escapeHtml(form.email)}">
<input type="hidden" name="token" value="${escapeHtml(form.token)}">
<input type="hidden" name="code" value="${escapeHtml(form.code)}">
<label for="password">${escapeHtml(t.newPassword)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<label for="confirmPassword">${escapeHtml(t.confirmPassword)}</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<p class="hint">${escapeHtml(t.passwordHint)}</p>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`,
  );
}

/**
 * Sends an HTML page that may carry a link secret: never cached, never leaked through the
 * Referer, never framed, no scripts; forms may only post back to our own origin.
 */
export function sendPage(response: ConsoleResponse, html: string, formOrigin: string): void {
  setHeader(response, 'Cache-Control', 'no-store');
  setHeader(response, 'Pragma', 'no-cache');
  setHeader(response, 'Referrer-Policy', 'no-referrer');
  setHeader(response, 'X-Frame-Options', 'DENY');
  setHeader(
    response,
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action ${formOrigin}; frame-ancestors 'none'; base-uri 'none'`,
  );
  sendRaw(response, 200, 'text/html; charset=utf-8', html);
}
