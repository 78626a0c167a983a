import type { DataSource } from 'typeorm';
import { RoleEntity } from '../../libs/console-users/src/rbac/role.entity';
import type { PolicyRule } from '../../libs/console-users/src/rbac/role.entity';
import type { HaloClients } from './http';

/** Creates a personal access token for the logged-in clients and returns its value. */
export async function createPat(clients: HaloClients, roles: string[] = []): Promise<string> {
  const created = await clients.uc.security.personalAccessToken.generatePat({
    personalAccessToken: {
      apiVersion: 'security.halo.run/v1alpha1',
      kind: 'PersonalAccessToken',
      metadata: { name: '' },
      spec: { name: 'test token', roles } as never,
    },
  });
  return created.data.metadata.annotations!['security.halo.run/access-token']!;
}

/**
 * Inserts a custom role straight into the database. Call before the first request of the server:
 * the role graph is cached for a few seconds once loaded.
 */
export async function insertRole(
  db: DataSource,
  name: string,
  rules: Partial<PolicyRule>[],
  annotations: Record<string, string> = {},
): Promise<void> {
  await db.getRepository(RoleEntity).insert({
    name,
    labels: {},
    annotations,
    rules: rules.map((r) => ({
      apiGroups: r.apiGroups ?? [],
      resources: r.resources ?? [],
      resourceNames: r.resourceNames ?? [],
      nonResourceURLs: r.nonResourceURLs ?? [],
      verbs: r.verbs ?? [],
    })),
    version: 0,
    createdAt: new Date(),
  });
}
