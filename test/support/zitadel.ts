import assert from 'node:assert/strict';
import type { AxiosResponse } from 'axios';
import type { DataSource } from 'typeorm';
import type { HaloClients } from './http';

/** ZITADEL's error detail type. */
export const ERROR_DETAIL_TYPE = 'type.googleapis.com/zitadel.v1.ErrorDetail';

/** Checks a ZITADEL REST error: status, gRPC code, JSON (not a problem), and optionally the detail id/key. */
export function assertZitadelError(res: AxiosResponse, status: number, grpc: number, detail: { id?: string; key?: string } = {}): void {
  assert.equal(res.status, status, `status of ${JSON.stringify(res.data)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(res.data.code, grpc, `gRPC code of ${JSON.stringify(res.data)}`);
  assert.equal(typeof res.data.message, 'string');
  assert.ok(Array.isArray(res.data.details) && res.data.details.length === 1);
  assert.equal(res.data.details[0]['@type'], ERROR_DETAIL_TYPE);
  assert.ok(res.data.message.endsWith(`(${res.data.details[0].id})`));
  if (detail.id) {
    assert.equal(res.data.details[0].id, detail.id);
  }
  if (detail.key) {
    assert.equal(res.data.details[0].message, detail.key);
  }
}

/** Checks `details` of a successful write. */
export function assertDetails(data: { details?: { sequence?: unknown; changeDate?: unknown; resourceOwner?: unknown } }): void {
  assert.ok(data.details, 'details present');
  assert.match(String(data.details.sequence), /^\d+$/);
  assert.equal(typeof data.details.sequence, 'string');
  assert.ok(!Number.isNaN(Date.parse(String(data.details.changeDate))));
  assert.equal(data.details.resourceOwner, 'console');
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
  assert.ok(token?.startsWith('pat_'));
  return token!;
}

/** The integer id of a user, as the ZITADEL face names it. */
export async function userIdOf(db: DataSource, name: string): Promise<string> {
  const rows: { id: number | string }[] = await db.query(`SELECT id FROM users WHERE name = '${name.replace(/'/g, "''")}'`);
  assert.equal(rows.length, 1, `user ${name} exists`);
  return String(rows[0]!.id);
}

/** The first link in a mail's text. */
export function linkIn(text: string): string {
  const match = /https?:\/\/\S+/.exec(text);
  assert.ok(match, `no link in ${JSON.stringify(text)}`);
  return match[0];
}
