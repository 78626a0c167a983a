import type { AxiosResponse } from 'axios';
import type { DataSource } from 'typeorm';
import type { HaloClients } from './http';

/** ZITADEL's error detail type. */
export const ERROR_DETAIL_TYPE = 'type.googleapis.com/zitadel.v1.ErrorDetail';

/** Checks a ZITADEL REST error: status, gRPC code, JSON (not a problem), and optionally the detail id/key. */
export function assertZitadelError(res: AxiosResponse, status: number, grpc: number, detail: { id?: string; key?: string } = {}): void {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(res.data.code).toBe(grpc);
  expect(typeof res.data.message).toBe('string');
  expect(Array.isArray(res.data.details) && res.data.details.length === 1).toBeTruthy();
  expect(res.data.details[0]['@type']).toBe(ERROR_DETAIL_TYPE);
  expect(res.data.message.endsWith(`(${res.data.details[0].id})`)).toBeTruthy();
  if (detail.id) {
    expect(res.data.details[0].id).toBe(detail.id);
  }
  if (detail.key) {
    expect(res.data.details[0].message).toBe(detail.key);
  }
}

/** Checks `details` of a successful write. */
export function assertDetails(data: { details?: { sequence?: unknown; changeDate?: unknown; resourceOwner?: unknown } }): void {
  expect(data.details).toBeDefined();
  const details = data.details!;
  expect(String(details.sequence)).toMatch(/^\d+$/);
  expect(typeof details.sequence).toBe('string');
  expect(Number.isNaN(Date.parse(String(details.changeDate)))).toBe(false);
  expect(details.resourceOwner).toBe('console');
}

/** A PAT of the logged-in user with the given roles (none: only what every signed-in user has). */
export async function createPat(halo: HaloClients, roles: string[] = []): Promise<string> {
  const created = await halo.uc.security.personalAccessToken.generatePat({
    personalAccessToken: {
      apiVersion: 'security.halo.run/v1alpha1',
      kind: 'PersonalAccessToken',
      metadata: { name: '', generateName: 'pat-' },
      spec: { name: 'zitadel client', roles, scopes: [] } as never,
    },
  });
  const token = created.data.metadata.annotations?.['security.halo.run/access-token'];
  expect(token?.startsWith('pat_')).toBeTruthy();
  return token!;
}

/** The integer id of a user, as the ZITADEL face names it. */
export async function userIdOf(db: DataSource, name: string): Promise<string> {
  const rows: { id: number | string }[] = await db.query(`SELECT id FROM users WHERE name = '${name.replace(/'/g, "''")}'`);
  expect(rows.length).toBe(1);
  return String(rows[0]!.id);
}

/** The first link in a mail's text. */
export function linkIn(text: string): string {
  const match = /https?:\/\/\S+/.exec(text);
  expect(match).not.toBeNull();
  return match![0];
}
