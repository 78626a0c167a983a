import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import axios from 'axios';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { loginAs, rawRequest } from '../support/http';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/* The parts of OpenAPI 3 this file reads. */
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  example?: unknown;
  enum?: unknown[];
  format?: string;
}
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
  security?: Record<string, string[]>[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, string>> };
}

/** Operations that answer 200 with no body, as their originals do (Halo's email verification). */
const BODYLESS_OK = new Set(['SendEmailVerificationCode', 'VerifyEmail']);

function operations(document: Document): { path: string; method: string; op: Operation; id: string }[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op, id: op.operationId ?? `${method.toUpperCase()} ${path}` })),
  );
}

function resolve(document: Document, schema: Schema): Schema {
  let current = schema;
  while (current.$ref) {
    const target = document.components.schemas[current.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`dangling $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** A schema that says nothing: missing, or an object without properties, map values or composition. */
function isEmptySchema(document: Document, schema: Schema | undefined): boolean {
  if (!schema) return true;
  const target = resolve(document, schema);
  if (target.allOf || target.oneOf || target.anyOf) return false;
  if (target.type === 'array') return isEmptySchema(document, target.items);
  if (target.type === 'string' || target.type === 'integer' || target.type === 'number' || target.type === 'boolean') return false;
  return !(target.properties && Object.keys(target.properties).length > 0) && !target.additionalProperties;
}

/** Properties (dotted paths) of a body schema with neither an example nor a documented nested schema. */
function propertiesWithoutExample(document: Document, schema: Schema, prefix = '', seen = new Set<Schema>()): string[] {
  const target = resolve(document, schema);
  if (seen.has(target)) return [];
  seen.add(target);
  const missing: string[] = [];
  for (const [name, property] of Object.entries(target.properties ?? {})) {
    const path = `${prefix}${name}`;
    const element = property.type === 'array' && property.items ? property.items : property;
    // A reference with its own description comes wrapped: `allOf: [{$ref}]`.
    const reference = element.$ref ? element : element.allOf?.length === 1 && element.allOf[0]!.$ref ? element.allOf[0]! : undefined;
    if (reference) {
      missing.push(...propertiesWithoutExample(document, reference, `${path}.`, seen));
    } else if (property.example === undefined && !property.enum && property.format !== 'binary') {
      missing.push(path);
    }
  }
  return missing;
}

/** The body Swagger UI builds out of the field examples of a schema. */
function exampleOf(document: Document, schema: Schema): unknown {
  const target = resolve(document, schema);
  if (target.example !== undefined) return target.example;
  if (target.allOf?.length === 1) return exampleOf(document, target.allOf[0]!);
  if (target.type === 'array' && target.items) return [exampleOf(document, target.items)];
  return Object.fromEntries(Object.entries(target.properties ?? {}).map(([name, property]) => [name, exampleOf(document, property)]));
}

describe('OpenAPI document at /v3/api-docs', () => {
  let db: TestDatabase;
  let server: TestServer;
  let document: Document;
  let all: ReturnType<typeof operations>;

  beforeAll(async () => {
    // The document does not depend on the database: SQLite only. Every optional route on (the
    // metrics endpoint), so each documented operation is checked against what it answers.
    db = await createTestDatabase('sqlite');
    server = await startTestServer(db, { env: { METRICS_ENABLED: 'true' } });
    document = (await axios.get<Document>(`${server.baseUrl}/v3/api-docs`)).data;
    all = operations(document);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('covers every face and the library routes, each operation named once', () => {
    const paths = Object.keys(document.paths);
    for (const prefix of ['/apis/api.console.halo.run/', '/api/v1alpha1/', '/v2/users/', '/api/v3/core/users', '/api/v3/stages/email', '/api/v2/', '/api/verify/email', '/login', '/actuator/health']) {
      expect(paths.filter((path) => path.startsWith(prefix))).not.toEqual([]);
    }
    const ids = all.map(({ op }) => op.operationId);
    expect(ids.filter((id) => id === undefined)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('documents the 503 of busy password hashing wherever a password is checked or hashed', () => {
    const hashing = [
      'Login',
      'CreateUser',
      'ChangeOwnPassword',
      'ChangeAnyonePassword',
      'ResetPasswordByToken',
      'UserService_AddHumanUser',
      'UserService_SetPassword',
      'Fresns_AccountRegister',
      'Fresns_AccountResetPassword',
      'AnqiCms_ResetPassword',
    ];
    const undocumented = hashing.filter((id) => !all.find(({ op }) => op.operationId === id)?.op.responses?.['503']);
    expect(undocumented).toEqual([]);
  });

  it('gives every request body and every response body a schema that says something', () => {
    const problems: string[] = [];
    for (const { id, op } of all) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (isEmptySchema(document, media.schema)) problems.push(`${id}: request ${type}`);
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const content = Object.entries(response.content ?? {});
        for (const [type, media] of content) {
          if (isEmptySchema(document, media.schema)) problems.push(`${id}: response ${status} ${type}`);
        }
        if (status.startsWith('2') && status !== '204' && content.length === 0 && !BODYLESS_OK.has(id)) {
          problems.push(`${id}: ${status} without a body schema`);
        }
        if (!status.startsWith('2') && content.length === 0) problems.push(`${id}: error ${status} without a body schema`);
      }
      if (!Object.keys(op.responses).some((status) => !status.startsWith('2'))) problems.push(`${id}: no error documented`);
    }
    expect(problems).toEqual([]);
  });

  it('has an example for every field of every request body, nested ones included', () => {
    const problems = all.flatMap(({ id, op }) =>
      Object.values(op.requestBody?.content ?? {}).flatMap((media) =>
        media.schema && !isEmptySchema(document, media.schema) && resolve(document, media.schema).properties
          ? propertiesWithoutExample(document, media.schema).map((field) => `${id}: ${field}`)
          : [],
      ),
    );
    expect(problems).toEqual([]);
  });

  it('gives ZITADEL bodies one whole example per oneof choice, never two members at once', () => {
    const oneofs: Record<string, string[]> = {
      UserService_SetEmail: ['sendCode', 'returnCode', 'isVerified'],
      UserService_SendEmailCode: ['sendCode', 'returnCode'],
      UserService_ResendEmailCode: ['sendCode', 'returnCode'],
      UserService_PasswordReset: ['sendLink', 'returnCode'],
      UserService_SetPassword: ['verificationCode', 'currentPassword'],
    };
    for (const [id, members] of Object.entries(oneofs)) {
      const examples = Object.values(all.find((entry) => entry.id === id)!.op.requestBody!.content['application/json']!.examples ?? {});
      expect(examples.length).toBeGreaterThan(1);
      for (const example of examples) {
        expect(members.filter((member) => member in (example.value as object)).length).toBeLessThanOrEqual(1);
      }
    }
  });

  it('resolves every $ref', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((ref) => !document.components.schemas[ref.replace('#/components/schemas/', '')])).toEqual([]);
  });

  it("documents errors in each face's own format", () => {
    const errorSchemas = (id: string) => {
      const op = all.find((entry) => entry.id === id)!.op;
      return Object.fromEntries(
        Object.entries(op.responses)
          .filter(([status]) => !status.startsWith('2'))
          .map(([status, response]) => [status, Object.entries(response.content ?? {}).map(([type, media]) => `${type} ${media.schema?.$ref ?? ''}`)]),
      );
    };
    expect(errorSchemas('CreateUser')['400']).toEqual(['application/problem+json #/components/schemas/ProblemDetailSchema']);
    expect(errorSchemas('SendEmailVerificationCode')['429']).toEqual(['application/problem+json #/components/schemas/ProblemDetailSchema']);
    expect(errorSchemas('UserService_SetEmail')['400']).toEqual(['application/json #/components/schemas/ZitadelErrorSchema']);
    expect(errorSchemas('core_users_recovery_create')['404']).toEqual(['application/json #/components/schemas/AuthentikGenericErrorSchema']);
    expect(errorSchemas('core_users_recovery_create')['400']).toEqual(['application/json #/components/schemas/AuthentikValidationErrorSchema']);

    // Envelope faces answer errors with HTTP 200: one response, an example per case.
    const fresns = all.find((entry) => entry.id === 'Fresns_SendVerifyCode')!.op.responses['200']!.content!['application/json']!;
    const fresnsCodes = Object.values(fresns.examples ?? {}).map((example) => (example.value as { code: number }).code);
    expect(fresnsCodes).toContain(0);
    expect(fresnsCodes.filter((code) => code !== 0).length).toBeGreaterThan(0);
    const anqi = all.find((entry) => entry.id === 'AnqiCms_RequestEmailLink')!.op.responses['200']!.content!['application/json']!;
    expect(Object.values(anqi.examples ?? {}).map((example) => (example.value as { code: number }).code)).toEqual(expect.arrayContaining([0, -1]));
  });

  it('declares the SESSION cookie, an opaque PAT bearer (not a JWT) and HTTP Basic', () => {
    expect(document.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'SESSION' }),
      pat: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' }),
      basic: expect.objectContaining({ type: 'http', scheme: 'basic' }),
    });
    expect(JSON.stringify(document)).not.toMatch(/JWT/);
  });

  it('asks for credentials exactly where the server does: anonymous calls get 401 there, in the documented format, and nowhere else', async () => {
    const mismatches: string[] = [];
    for (const { id, path, method, op } of all) {
      const security = op.security ?? [];
      const required = security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
      if (security.length > 0) {
        // Every protected operation takes each of the three credentials.
        const schemes = security.flatMap((requirement) => Object.keys(requirement)).sort();
        if (schemes.join() !== 'basic,pat,session') mismatches.push(`${id}: security ${schemes.join()}`);
      }
      const url = server.baseUrl + path.replace(/\{[^}]+\}/g, 'nobody-1');
      const res = op.requestBody
        ? await rawRequest(url, method.toUpperCase(), { 'Content-Type': 'application/json' }, '{}')
        : await rawRequest(url, method.toUpperCase(), { Accept: 'application/json' });
      if (required) {
        const documented = Object.keys(op.responses['401']?.content ?? {});
        const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
        if (res.status !== 401) mismatches.push(`${id}: documented as protected, anonymous got ${res.status}`);
        else if (!documented.includes(type)) mismatches.push(`${id}: 401 as ${type}, documented ${documented.join()}`);
        else {
          // The body has the documented fields: nothing undocumented, nothing required missing.
          const schema = resolve(document, op.responses['401']!.content![type]!.schema!) as Schema & { required?: string[] };
          const keys = Object.keys(JSON.parse(res.body) as object);
          const undocumented = keys.filter((key) => !(key in (schema.properties ?? {})));
          const absent = (schema.required ?? []).filter((key) => !keys.includes(key));
          if (undocumented.length > 0 || absent.length > 0) mismatches.push(`${id}: 401 body has ${undocumented.join()} undocumented, lacks ${absent.join()}`);
        }
      } else if (res.status === 401 && id !== 'Login') {
        // Login answers wrong credentials with 401; that is not a missing credential.
        mismatches.push(`${id}: documented as public, anonymous got 401`);
      }
    }
    expect(mismatches).toEqual([]);
    // The check had something to check on both sides.
    expect(all.filter(({ op }) => op.security?.length).length).toBeGreaterThan(40);
    expect(all.filter(({ op }) => !op.security?.length).length).toBeGreaterThan(8);
  });

  it('has examples that work as they stand: an administrator trying them out gets a success', async () => {
    const admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    const op = (id: string) => all.find((entry) => entry.id === id)!;
    const send = async (id: string, body: unknown, type = 'application/json') => {
      const { path, method } = op(id);
      const res = await admin.http.request({ url: path.replace('{name}', 'jane'), method, data: body, headers: { 'Content-Type': type }, validateStatus: () => true });
      return `${id} ${res.status}${res.status >= 300 ? ` ${JSON.stringify(res.data)}` : ''}`;
    };
    // Each example creates jane; the next one needs her gone (a failed one may have made nobody).
    const removeJane = () => admin.http.delete('/api/v1alpha1/users/jane', { validateStatus: () => true });
    const answers: string[] = [];

    // Swagger UI builds a body out of the field examples when the operation has none of its own.
    const create = op('CreateUser_1').op.requestBody!.content['application/json']!;
    expect(create.examples).toBeUndefined();
    answers.push(await send('CreateUser_1', exampleOf(document, create.schema!)));
    for (const [type, media] of Object.entries(op('PatchUser').op.requestBody!.content)) {
      for (const example of Object.values(media.examples!)) answers.push(await send('PatchUser', example.value, type));
    }
    await removeJane();
    // PatchRole's examples on a custom role named like the users (built-in roles are read-only).
    await admin.core.role.createRole({
      role: { apiVersion: 'v1alpha1', kind: 'Role', metadata: { name: 'jane', annotations: { 'rbac.authorization.halo.run/display-name': 'Jane' } }, rules: [] },
    });
    for (const [type, media] of Object.entries(op('PatchRole').op.requestBody!.content)) {
      for (const example of Object.values(media.examples!)) answers.push(await send('PatchRole', example.value, type));
    }
    await admin.core.role.deleteRole({ name: 'jane' });
    for (const example of Object.values(op('UserService_AddHumanUser').op.requestBody!.content['application/json']!.examples!)) {
      answers.push(await send('UserService_AddHumanUser', example.value));
      await removeJane();
    }
    expect(answers).toEqual([
      'CreateUser_1 200',
      'PatchUser 200',
      'PatchUser 200',
      'PatchRole 200',
      'PatchRole 200',
      'UserService_AddHumanUser 201',
      'UserService_AddHumanUser 201',
      'UserService_AddHumanUser 201',
    ]);
  });

  describe('a client generated with openapi-typescript', () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'console-users-openapi-test-'));
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('type-checks the calls our e2e tests make (npm run openapi, on the built server)', async () => {
      const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/openapi.js'), '--out', dir], { cwd: ROOT });
      expect(stdout).toMatch(/typed calls compile against the generated types/);
      const generated = JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8')) as Document;
      // The built server documents what this one serves.
      expect(Object.keys(generated.paths).sort()).toEqual(Object.keys(document.paths).sort());
      expect(readFileSync(join(dir, 'console-users-api.d.ts'), 'utf8')).toMatch(/CreateUserDto: \{/);
    });

    it('stops compiling when a schema drifts from what the server answers', async () => {
      const drifted = structuredClone(document);
      const spec = drifted.components.schemas['HaloUserSpecSchema']!.properties!;
      spec['verifiedEmail'] = spec['emailVerified']!;
      delete spec['emailVerified'];
      const file = join(dir, 'drifted.json');
      writeFileSync(file, JSON.stringify(drifted));
      const failed = await run(process.execPath, [join(ROOT, 'scripts/openapi.js'), '--document', file, '--out', join(dir, 'drifted')], { cwd: ROOT }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/typed-calls\.ts.*emailVerified/);
    });

    it('stops compiling when a required request field is no longer required', async () => {
      const loosened = structuredClone(document) as Document & { components: { schemas: Record<string, Schema & { required?: string[] }> } };
      const body = loosened.components.schemas['CreateUserDto']!;
      body.required = (body.required ?? []).filter((name) => name !== 'email');
      const file = join(dir, 'loosened.json');
      writeFileSync(file, JSON.stringify(loosened));
      const failed = await run(process.execPath, [join(ROOT, 'scripts/openapi.js'), '--document', file, '--out', join(dir, 'loosened')], { cwd: ROOT }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/Unused '@ts-expect-error' directive/);
    });
  });
});
