import { http } from './http';

/** Calls Halo's client has no method for, through the same axios instance. */

export interface PageOf<T> {
  page: number;
  size: number;
  total: number;
  items: T[];
  totalPages?: number;
}

export interface DeliveryView {
  id: number;
  channel: string;
  recipient: string;
  template: string;
  locale: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  sentAt?: string;
}

export interface AuditEventView {
  id: number;
  occurredAt: string;
  actor?: string;
  action: string;
  target?: string;
  ip?: string;
  outcome: string;
  details: Record<string, string>;
}

const CONSOLE = '/apis/api.console.halo.run/v1alpha1';
const PUBLIC = '/apis/api.halo.run/v1alpha1';

export async function logIn(username: string, password: string, rememberMe: boolean): Promise<void> {
  const form = new URLSearchParams({ username, password });
  if (rememberMe) {
    form.set('remember-me', 'true');
  }
  await http.post('/login', form, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

export async function logOut(): Promise<void> {
  await http.post('/logout');
}

export async function sendRecoveryEmail(name: string): Promise<void> {
  await http.post(`${CONSOLE}/users/${encodeURIComponent(name)}/recovery-email`, {});
}

/** A single-use recovery link handed to the caller (needs system:users:recovery-links). */
export async function createRecoveryLink(name: string): Promise<string> {
  const { data } = await http.post<{ link: string }>(`${CONSOLE}/users/${encodeURIComponent(name)}/recovery-link`, {});
  return data.link;
}

export async function listDeliveries(params: { page: number; size: number; status?: string; recipient?: string }): Promise<PageOf<DeliveryView>> {
  const { data } = await http.get<PageOf<DeliveryView>>(`${CONSOLE}/deliveries`, { params });
  return data;
}

export async function listAuditEvents(params: { page: number; size: number; action?: string; actor?: string; target?: string }): Promise<PageOf<AuditEventView>> {
  const { data } = await http.get<PageOf<AuditEventView>>(`${CONSOLE}/audit-events`, { params });
  return data;
}

export async function requestPasswordReset(username: string, email: string): Promise<void> {
  await http.post(`${PUBLIC}/users/-/send-password-reset-email`, { username, email });
}

export async function resetPassword(name: string, token: string, newPassword: string): Promise<void> {
  await http.put(`${PUBLIC}/users/${encodeURIComponent(name)}/reset-password`, { newPassword, token });
}
