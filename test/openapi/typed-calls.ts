/*
 * Calls as our e2e tests make them, typed by the client that openapi-typescript generates from
 * the OpenAPI document (scripts/openapi.js compiles this file; it is never run). A schema that
 * drifts from what the server takes or answers (a field renamed, a required field lost, a
 * response without schema) stops this file from compiling.
 */
import type {
  ChangeOwnPasswordRequest,
  ChangePasswordRequest,
  CreateUserRequest,
  DetailedUser,
  EmailVerifyRequest,
  GrantRequest,
  PersonalAccessToken,
  Role,
  User,
  UserPermission,
  VerifyCodeRequest,
} from '@halo-dev/api-client';
import type { operations } from 'console-users-openapi';

type OperationId = keyof operations;
type Content<T> = T extends { content: infer C } ? C : never;
type Json<T> = Content<T> extends { 'application/json': infer B } ? B : never;

/** The JSON body of an operation (required or not). */
type Body<Id extends OperationId> = operations[Id] extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;
/** The JSON answer of an operation for a status. */
type Answer<Id extends OperationId, Status extends number> = operations[Id]['responses'] extends { [S in Status]: infer R } ? Json<R> : never;
/** The problem+json error of a Halo-face operation for a status. */
type Problem<Id extends OperationId, Status extends number> = operations[Id]['responses'] extends { [S in Status]: infer R }
  ? Content<R> extends { 'application/problem+json': infer P }
    ? P
    : never
  : never;

/** A client call: the body typed from the document, the 2xx answer typed from the document. */
declare function call<Id extends OperationId, Status extends number = 200>(operationId: Id, body?: Body<Id>, status?: Status): Promise<Answer<Id, Status>>;

export async function haloConsole(): Promise<void> {
  const created = await call('CreateUser', {
    name: 'member',
    email: 'member@example.test',
    displayName: 'Member',
    password: 'member-password',
    roles: ['role-template-view-users'],
  });
  const name: string = created.metadata.name;
  const verified: boolean = created.spec.emailVerified;
  const version: number | undefined = created.metadata.version;

  // @ts-expect-error `email` is required by CreateUser
  await call('CreateUser', { name: 'member' });

  const detail = await call('GetCurrentUserDetail');
  const roleNames: string[] = detail.roles.map((role) => role.metadata.name);
  const rules: string[][] = detail.roles.flatMap((role) => role.rules.map((rule) => rule.verbs));

  const page = await call('ListUsers');
  const listed: number = page.total + page.items.length + page.totalPages;
  const first: string = page.items[0]!.user.spec.displayName;

  await call('UpdateCurrentUser', { metadata: { name: 'member', annotations: {} }, spec: { displayName: 'Only Name', bio: 'bio' } });
  await call('ChangeOwnPassword', { oldPassword: 'member-password', password: 'a-new-long-password' });
  await call('ChangeAnyonePassword', { password: 'a-new-long-password' });
  await call('GrantPermission', { roles: ['role-template-view-users'] });
  const permissions = await call('GetPermissions');
  const ui: string[] = permissions.uiPermissions;

  await call('SendEmailVerificationCode', { email: 'member-new@example.test' });
  await call('VerifyEmail', { password: 'member-password', code: '123456' });
  // @ts-expect-error VerifyEmail needs the current password as well as the code
  await call('VerifyEmail', { code: '123456' });

  await call('SendRecoveryEmail', { tokenDuration: 'hours=3' }, 204);
  const link = await call('CreateRecoveryLink', {});
  const expires: string = link.expiresAt + link.link;

  await call('SendPasswordResetEmail', { username: 'member', email: 'member@example.test' }, 204);
  await call('ResetPasswordByToken', { newPassword: 'a-new-long-password', token: 'token-from-the-mail' }, 204);

  const pat = await call('GeneratePat', { spec: { name: 'ci', roles: ['role-template-view-users'], expiresAt: '2030-01-01T00:00:00Z' } }, 201);
  const token: string | undefined = pat.metadata.annotations?.['security.halo.run/access-token'];
  const pats = await call('ObtainPats');
  const revoked: boolean = pats[0]!.spec.revoked;

  const updated = await call('UpdateUser', {
    metadata: { name: 'member', version: 2, labels: {}, annotations: {} },
    spec: { displayName: 'Member', email: 'member@example.test', emailVerified: true, loginHistoryLimit: 10 },
  });
  const role = await call('CreateRole', { metadata: { generateName: 'role-' }, rules: [{ apiGroups: [''], resources: ['users'], resourceNames: [], nonResourceURLs: [], verbs: ['get'] }] }, 201);
  const roles = await call('ListRole');
  const disabled = await call('DisableUser');

  const deliveries = await call('ListDeliveries');
  const attempts: number = deliveries.items[0]!.attempts;
  const audit = await call('ListAuditEvents');
  const outcome: string = audit.items[0]!.outcome;

  const login = await call('Login', { username: 'admin', password: 'admin-password', 'remember-me': 'true' });
  const authorities: string[] = login.authorities.map((a) => a.authority);
  const health = await call('Health');
  const db: 'UP' | 'DOWN' = health.components.db.status;

  const problem: Problem<'CreateUser', 400> = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Name is required', instance: '/', requestId: 'r', timestamp: 't' };
  void [name, verified, version, roleNames, rules, listed, first, ui, expires, token, revoked, updated, role, roles, disabled, attempts, outcome, authorities, db, problem];
}

export async function zitadel(): Promise<void> {
  const sent = await call('UserService_SetEmail', { email: 'new@example.test', sendCode: { urlTemplate: 'https://app.example.test/verify?code={{.Code}}' } });
  const sequence: string = sent.details.sequence;
  const returned = await call('UserService_SendEmailCode', { returnCode: {} });
  const code: string | undefined = returned.verificationCode;
  await call('UserService_ResendEmailCode', {});
  await call('UserService_VerifyEmail', { verificationCode: '123456' });
  await call('UserService_PasswordReset', { sendLink: { notificationType: 'NOTIFICATION_TYPE_Email' } });
  await call('UserService_SetPassword', { newPassword: { password: 'a-new-long-password', changeRequired: false }, verificationCode: '123456' });
  const user = await call('UserService_GetUserByID');
  const state: 'USER_STATE_ACTIVE' | 'USER_STATE_INACTIVE' = user.user.state;
  const email: string = user.user.human.email.email;
  void [sequence, code, state, email];
}

export async function authentik(): Promise<void> {
  const users = await call('core_users_list');
  const pk: number = users.results[0]!.pk;
  const count: number = users.pagination.count;
  const link = await call('core_users_recovery_create', { token_duration: 'minutes=30' });
  const url: string = link.link;
  await call('core_users_recovery_email_create', { email_stage: '0b6e6f9c-3c55-4d4f-8f53-6f0f2d9b8c11' }, 204);
  const stage = await call('stages_email_create', { name: 'stage', subject: 'Reset', template: 'email/password_reset.html', token_expiry: 'minutes=60' }, 201);
  const patched = await call('stages_email_partial_update', { subject: 'Other' });
  // @ts-expect-error a full update needs the name
  await call('stages_email_update', { subject: 'Other' });
  void [pk, count, url, stage.pk, patched.subject];
}

export async function envelopes(): Promise<void> {
  const sent = await call('Fresns_SendVerifyCode', { type: 'email', useType: 1, templateId: 2, account: 'new@example.test' });
  const fresnsCode: number = sent.code;
  const registered = await call('Fresns_AccountRegister', {
    type: 'email',
    account: 'new@example.test',
    verifyCode: '123456',
    password: 'YS1uZXctbG9uZy1wYXNzd29yZA==',
    nickname: 'New',
  });
  const aid: string | undefined = registered.data?.detail.aid;
  await call('Fresns_AccountResetPassword', { type: 'email', account: 'new@example.test', verifyCode: '123456', newPassword: 'YS1uZXctbG9uZy1wYXNzd29yZA==' });
  await call('Fresns_AccountVerifyIdentity', { type: 'email', verifyCode: '123456' });

  const anqi = await call('AnqiCms_RequestEmailLink', { email: 'new@example.test', state: 'reset' });
  const msg: string = anqi.msg;
  await call('AnqiCms_ResetPassword', { email: 'new@example.test', token: 't', code: 'c', password: 'a-new-long-password', confirmPassword: 'a-new-long-password' });
  void [fresnsCode, aid, msg];
}

/*
 * The Halo face against Halo's own client (@halo-dev/api-client, which the console UI and our e2e
 * tests use): every body that client sends is a body our document accepts, and every answer our
 * document promises is what that client reads.
 */
type Accepts<Id extends OperationId, Sent> = Sent extends Body<Id> ? true : false;
type Gives<Id extends OperationId, Read, Status extends number = 200> = Answer<Id, Status> extends Read ? true : false;
const haloClientAgrees: [
  Accepts<'CreateUser', CreateUserRequest>,
  Accepts<'SendEmailVerificationCode', EmailVerifyRequest>,
  Accepts<'VerifyEmail', VerifyCodeRequest>,
  Accepts<'ChangeOwnPassword', ChangeOwnPasswordRequest>,
  Accepts<'ChangeAnyonePassword', ChangePasswordRequest>,
  Accepts<'GrantPermission', GrantRequest>,
  // UpdateUser is stricter than Halo's type: the optimistic-lock version is required.
  Accepts<'UpdateUser', User & { metadata: { version: number } }>,
  Accepts<'CreateRole', Role>,
  Gives<'CreateUser', User>,
  Gives<'GetUserDetail', DetailedUser>,
  Gives<'GetCurrentUserDetail', DetailedUser>,
  Gives<'GetPermissions', UserPermission>,
  Gives<'GetRole', Role>,
  Gives<'GeneratePat', PersonalAccessToken, 201>,
] = [
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
];
void haloClientAgrees;
