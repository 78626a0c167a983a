import axios, { AxiosError } from 'axios';

/**
 * The one axios instance every call goes through: same-origin, session cookie, and the XHR header
 * that makes the server answer JSON problems instead of login redirects.
 */
export const http = axios.create({
  baseURL: '/',
  withCredentials: true,
  headers: { 'X-Requested-With': 'XMLHttpRequest' },
});

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => undefined;
let onPasswordChangeRequired: UnauthorizedHandler = () => undefined;

/** The router registers how a 401 in the middle of a session goes back to the login page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

/** The router registers how a refusal for "password change required" leads to the page for it. */
export function setPasswordChangeRequiredHandler(handler: UnauthorizedHandler): void {
  onPasswordChangeRequired = handler;
}

/**
 * The server's 403 for a user who must change their password first: a Halo problem whose type
 * ends in `password-change-required` (the flag can be set while the console is open).
 */
export function isPasswordChangeRequiredError(error: unknown): boolean {
  if (!(error instanceof AxiosError) || error.response?.status !== 403) {
    return false;
  }
  const type = (error.response.data as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type.endsWith('password-change-required');
}

http.interceptors.response.use(undefined, (error: unknown) => {
  if (isPasswordChangeRequiredError(error)) {
    onPasswordChangeRequired();
  }
  if (error instanceof AxiosError && error.response?.status === 401) {
    const url = error.config?.url ?? '';
    // A wrong password on the login form is a 401 too: that one is shown on the form.
    if (!url.endsWith('/login') && !url.includes('/reset-password') && !url.includes('verify-email') && !url.includes('/password')) {
      onUnauthorized();
    }
  }
  return Promise.reject(error);
});

/** Halo's problem detail (RFC 7807), or the fields other faces use. */
interface ProblemBody {
  title?: string;
  detail?: string;
  message?: string;
  status?: number;
}

/** Turns any failure into a sentence for people: the server's problem detail when there is one. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof AxiosError) {
    const body = error.response?.data as ProblemBody | undefined;
    if (body && typeof body === 'object') {
      const text = body.detail ?? body.message ?? body.title;
      if (typeof text === 'string' && text !== '') {
        return text;
      }
    }
    if (error.response) {
      return `${fallback} (HTTP ${error.response.status})`;
    }
  }
  return fallback;
}

/** The HTTP status of a failed call, if the server answered. */
export function errorStatus(error: unknown): number | undefined {
  return error instanceof AxiosError ? error.response?.status : undefined;
}
