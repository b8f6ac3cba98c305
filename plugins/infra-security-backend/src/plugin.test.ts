import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { onBehalfOfAwareMockAuth, PERSONAS } from '@infra-hub/test-utils';
import crypto from 'node:crypto';
import request from 'supertest';
import { infraSecurityPlugin } from './plugin';
import { spec } from './schema/openapi.generated';

const PRIYA = PERSONAS.priya; // tenant-admin of cartwheel
const OMAR = PERSONAS.omar; // tenant-admin of harbor-bank
const ALEX = PERSONAS.alex; // system-admin, no tenant role
const LI = PERSONAS.li; // auditor of both

const as = (ref: string) => mockCredentials.user.header(ref);

async function startSecurity() {
  const { server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          infra: {
            security: {
              vault: {
                activeKey: 'k1',
                keys: { k1: crypto.randomBytes(32).toString('base64') },
              },
              bootstrap: {
                systemAdmins: [ALEX],
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel Commerce',
                    workspaces: { production: { title: 'Production' } },
                    members: { 'tenant-admin': [PRIYA], auditor: [LI] },
                  },
                  'harbor-bank': {
                    title: 'Harbor Trust Bank',
                    workspaces: { production: { title: 'Production' } },
                    members: { 'tenant-admin': [OMAR], auditor: [LI] },
                  },
                },
              },
            },
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      infraSecurityPlugin,
    ],
  });
  return server;
}

describe('infra-security API', () => {
  it('gives each member what their role in each tenant allows', async () => {
    const server = await startSecurity();
    const mine = await request(server)
      .get('/api/infra-security/tenants')
      .set('Authorization', as(PRIYA));
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([
      'cartwheel',
    ]);
    const auditor = await request(server)
      .get('/api/infra-security/tenants')
      .set('Authorization', as(LI));
    expect(auditor.body.items.map((t: { id: string }) => t.id)).toEqual([
      'cartwheel',
      'harbor-bank',
    ]);
    // An auditor reads the audit log but manages nobody.
    expect(
      (
        await request(server)
          .get('/api/infra-security/audit/cartwheel/events')
          .set('Authorization', as(LI))
      ).status,
    ).toBe(200);
    expect(
      (
        await request(server)
          .post('/api/infra-security/tenants/cartwheel/role-bindings')
          .set('Authorization', as(LI))
          .send({ userRef: 'user:default/x', role: 'read-only' })
      ).status,
    ).toBe(403);
    // A system-admin lists tenants and manages members, but reads no tenant data.
    const admin = await request(server)
      .get('/api/infra-security/tenants')
      .set('Authorization', as(ALEX));
    expect(admin.body.items).toHaveLength(2);
    expect(
      (
        await request(server)
          .get('/api/infra-security/tenants/cartwheel/role-bindings')
          .set('Authorization', as(ALEX))
      ).status,
    ).toBe(200);
    expect(
      (
        await request(server)
          .get('/api/infra-security/tenants/cartwheel/credentials')
          .set('Authorization', as(ALEX))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .get('/api/infra-security/audit/cartwheel/events')
          .set('Authorization', as(ALEX))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .get('/api/infra-security/audit/system/events')
          .set('Authorization', as(ALEX))
      ).status,
    ).toBe(200);
  });

  it('records role changes and refusals in the audit log, with a valid chain', async () => {
    const server = await startSecurity();
    const grant = await request(server)
      .post('/api/infra-security/tenants/cartwheel/role-bindings')
      .set('Authorization', as(PRIYA))
      .send({ userRef: 'user:default/maria.garcia', role: 'read-only' });
    expect(grant.status).toBe(201);
    await request(server)
      .get('/api/infra-security/tenants/cartwheel/credentials')
      .set('Authorization', as(LI));
    const log = await request(server)
      .get('/api/infra-security/audit/cartwheel/events')
      .set('Authorization', as(PRIYA));
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'role.granted',
        'permission.denied',
        'tenant.created',
      ]),
    );
    const denied = log.body.items.find(
      (e: { action: string }) => e.action === 'permission.denied',
    );
    expect(denied).toMatchObject({
      actor: LI,
      outcome: 'denied',
      details: { permission: 'infra.credentials.manage' },
    });
    const verify = await request(server)
      .get('/api/infra-security/audit/cartwheel/verify')
      .set('Authorization', as(LI));
    expect(verify.body).toMatchObject({ scope: 'cartwheel', valid: true });
    const csv = await request(server)
      .get('/api/infra-security/audit/cartwheel/events?format=csv')
      .set('Authorization', as(LI));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    // One CSV writer for the suite (the route kit): every cell quoted, the header too.
    expect(csv.text.split('\r\n')[0]).toBe(
      '"seq","occurredAt","scope","actor","action","outcome","subject","details","prevHash","hash"',
    );
    expect(csv.text).toContain('"role.granted"');
  });

  it('lets only signed-in users mint API keys, never above their own roles, and keys act for their creator', async () => {
    const server = await startSecurity();
    const mint = (header: string, tenant: string, body: object) =>
      request(server)
        .post(`/api/infra-security/tenants/${tenant}/api-keys`)
        .set('Authorization', header)
        .send(body);
    const keyCount = async (tenant: string, who: string) =>
      (
        await request(server)
          .get(`/api/infra-security/tenants/${tenant}/api-keys`)
          .set('Authorization', as(who))
      ).body.items.length;

    const admin = await mint(as(PRIYA), 'cartwheel', {
      name: 'ci',
      role: 'tenant-admin',
      expiresInDays: 30,
    });
    expect(admin.status).toBe(201);
    expect(admin.body.key).toMatchObject({ createdBy: PRIYA });
    const bearer = `Bearer ${admin.body.token}`;

    // The key works with its role...
    expect(
      (
        await request(server)
          .get('/api/infra-security/tenants/cartwheel/role-bindings')
          .set('Authorization', bearer)
      ).status,
    ).toBe(200);
    // ...but cannot mint keys, even though its role manages users.
    const byKey = await mint(bearer, 'cartwheel', {
      name: 'child',
      role: 'read-only',
    });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.message).toMatch(/Only a signed-in user/);
    // A service token cannot either.
    const byService = await mint(
      mockCredentials.service.header(),
      'cartwheel',
      {
        name: 'svc',
        role: 'read-only',
      },
    );
    expect(byService.status).toBe(403);
    // A system-admin manages members of every tenant but holds no role in it: no keys there.
    const bySystemAdmin = await mint(as(ALEX), 'cartwheel', {
      name: 'backdoor',
      role: 'tenant-admin',
    });
    expect(bySystemAdmin.status).toBe(403);
    expect(bySystemAdmin.body.error.message).toMatch(
      /cannot hold more than its creator/,
    );
    // An auditor may not mint at all; a lifetime past the maximum is a 400.
    expect(
      (await mint(as(LI), 'cartwheel', { name: 'x', role: 'auditor' })).status,
    ).toBe(403);
    const tooLong = await mint(as(PRIYA), 'cartwheel', {
      name: 'x',
      role: 'read-only',
      expiresInDays: 10_000,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/expiresInDays/);
    expect(await keyCount('cartwheel', PRIYA)).toBe(1);

    // Without a token: 401.
    expect(
      (
        await request(server)
          .post('/api/infra-security/tenants/cartwheel/api-keys')
          .set('Authorization', mockCredentials.none.header())
          .send({ name: 'x', role: 'read-only' })
      ).status,
    ).toBe(401);

    // The creator loses the role: the key is refused on its next request.
    const revoked = await request(server)
      .delete(
        `/api/infra-security/tenants/cartwheel/role-bindings?userRef=${encodeURIComponent(
          PRIYA,
        )}&role=tenant-admin`,
      )
      .set('Authorization', as(ALEX));
    expect(revoked.status).toBe(204);
    expect(
      (
        await request(server)
          .get('/api/infra-security/tenants/cartwheel/role-bindings')
          .set('Authorization', bearer)
      ).status,
    ).toBe(401);
  });

  it('takes audit events only from backend plugins acting as themselves', async () => {
    const server = await startSecurity();
    const forged = {
      scope: 'cartwheel',
      actor: PRIYA,
      action: 'change.approved',
    };
    // An external access token (the installation's static token is one) is not a plugin.
    const external = await request(server)
      .post('/api/infra-security/audit/events')
      .set('Authorization', mockCredentials.service.header())
      .send(forged);
    expect(external.status).toBe(403);
    const events = await request(server)
      .get('/api/infra-security/audit/cartwheel/events?action=change.approved')
      .set('Authorization', as(LI));
    expect(events.body.items).toEqual([]);
  });

  it('never returns a credential value', async () => {
    const server = await startSecurity();
    const created = await request(server)
      .post('/api/infra-security/tenants/cartwheel/credentials')
      .set('Authorization', as(PRIYA))
      .send({
        name: 'aws-prod',
        kind: 'aws-secret-key',
        value: 'super-secret-value-123',
      });
    expect(created.status).toBe(201);
    const list = await request(server)
      .get('/api/infra-security/tenants/cartwheel/credentials')
      .set('Authorization', as(PRIYA));
    const log = await request(server)
      .get('/api/infra-security/audit/cartwheel/events')
      .set('Authorization', as(PRIYA));
    for (const body of [created.body, list.body, log.body]) {
      expect(JSON.stringify(body)).not.toContain('super-secret-value-123');
    }
    expect(list.body.items[0]).toMatchObject({
      name: 'aws-prod',
      kind: 'aws-secret-key',
      keyId: 'k1',
    });
  });

  it('answers bad input with 400 naming the problem, and stores nothing', async () => {
    const server = await startSecurity();
    const cases: Array<[string, string, object | undefined, RegExp]> = [
      [
        'post',
        '/tenants/cartwheel/credentials',
        { name: 'x', kind: 'token' },
        /value/,
      ],
      [
        'post',
        '/tenants/cartwheel/credentials',
        { name: 'x', kind: 'token', value: 42 },
        /value/,
      ],
      [
        'post',
        '/tenants/cartwheel/credentials',
        { name: 'x', kind: 'Not A Kind!', value: 'v' },
        /kind/,
      ],
      [
        'post',
        '/tenants/cartwheel/role-bindings',
        { userRef: 'maria', role: 'read-only' },
        /userRef/,
      ],
      [
        'post',
        '/tenants/cartwheel/role-bindings',
        { userRef: 'user:default/m', role: 'owner' },
        /role/,
      ],
      [
        'post',
        '/tenants/cartwheel/role-bindings',
        { userRef: 'user:default/m', role: 'system-admin' },
        /system scope/,
      ],
      [
        'post',
        '/tenants/cartwheel/api-keys',
        { name: 'ci', role: 'system-admin' },
        /role/,
      ],
      [
        'post',
        '/tenants/cartwheel/workspaces',
        { id: 'Bad Id', title: 'x' },
        /id/,
      ],
      [
        'post',
        '/tenants/cartwheel/workspaces',
        { id: 'ok', title: 'x', extra: true },
        /extra|additional/,
      ],
      ['get', '/audit/cartwheel/events?limit=abc', undefined, /limit/],
      ['get', '/audit/cartwheel/events?outcome=maybe', undefined, /outcome/],
    ];
    for (const [method, path, body, message] of cases) {
      const req = (request(server) as any)
        [method](`/api/infra-security${path}`)
        .set('Authorization', as(PRIYA));
      const res = body ? await req.send(body) : await req;
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    const oversized = await request(server)
      .post('/api/infra-security/tenants/cartwheel/credentials')
      .set('Authorization', as(PRIYA))
      .send({ name: 'big', kind: 'token', value: 'x'.repeat(200_000) });
    expect([400, 413]).toContain(oversized.status);
    const creds = await request(server)
      .get('/api/infra-security/tenants/cartwheel/credentials')
      .set('Authorization', as(PRIYA));
    expect(creds.body.items).toEqual([]);
    const members = await request(server)
      .get('/api/infra-security/tenants/cartwheel/role-bindings')
      .set('Authorization', as(PRIYA));
    expect(
      members.body.items.map((b: { userRef: string }) => b.userRef).sort(),
    ).toEqual([LI, PRIYA]);
    const unknown = await request(server)
      .get('/api/infra-security/tenants/no-such-tenant')
      .set('Authorization', as(ALEX));
    expect(unknown.status).toBe(404);
  });

  it("refuses a user of one tenant on every route with the other tenant's ids, never showing its data", async () => {
    const server = await startSecurity();
    // Harbor's own data, made by its admin.
    const cred = await request(server)
      .post('/api/infra-security/tenants/harbor-bank/credentials')
      .set('Authorization', as(OMAR))
      .send({
        name: 'harbor-ledger-db',
        kind: 'password',
        value: 'harbor-password-value',
      });
    const key = await request(server)
      .post('/api/infra-security/tenants/harbor-bank/api-keys')
      .set('Authorization', as(OMAR))
      .send({ name: 'harbor-ci', role: 'read-only' });
    expect([cred.status, key.status]).toEqual([201, 201]);
    const ids: Record<string, string> = {
      tenantId: 'harbor-bank',
      scope: 'harbor-bank',
      workspaceId: 'production',
      credentialId: cred.body.id,
      keyId: key.body.key.id,
    };
    const bodies: Record<string, object> = {
      CreateWorkspace: { id: 'stolen', title: 'x' },
      GrantRole: { userRef: PRIYA, role: 'tenant-admin' },
      CreateCredential: { name: 'x', kind: 'token', value: 'v' },
      ReplaceCredential: { value: 'overwritten' },
      CreateApiKey: { name: 'x', role: 'tenant-admin' },
      CreateTenant: { id: 'harbor-bank-2', title: 'x' },
      RecordAuditEvent: {
        scope: 'harbor-bank',
        actor: PRIYA,
        action: 'forged.event',
      },
      IntrospectApiKey: { token: 'sk_harbor-bank.AAAAAAAAAAAAAAAA.guess' },
    };
    const queries: Record<string, string> = {
      RevokeRole: `?userRef=${encodeURIComponent(OMAR)}&role=tenant-admin`,
      RolesOfUser: `?userRef=${encodeURIComponent(OMAR)}`,
    };
    const open = new Set(['GetHealth', 'GetMe', 'ListTenants']);
    let swept = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(
        item as Record<string, { operationId: string }>,
      )) {
        if (open.has(op.operationId)) continue;
        const url =
          path.replace(/\{(\w+)\}/g, (_, name) => ids[name]) +
          (queries[op.operationId] ?? '');
        const req = (request(server) as any)
          [method](`/api/infra-security${url}`)
          .set('Authorization', as(PRIYA));
        const res = bodies[op.operationId]
          ? await req.send(bodies[op.operationId])
          : await req;
        expect({ op: op.operationId, status: res.status }).toEqual({
          op: op.operationId,
          status: expect.toSatisfy((s: number) => [401, 403, 404].includes(s)),
        });
        const text = JSON.stringify(res.body);
        for (const secret of [
          'Harbor Trust Bank',
          'harbor-ledger-db',
          'harbor-password-value',
          'harbor-ci',
          OMAR,
        ]) {
          expect({ op: op.operationId, leaked: text.includes(secret) }).toEqual(
            { op: op.operationId, leaked: false },
          );
        }
        swept += 1;
      }
    }
    expect(swept).toBeGreaterThanOrEqual(20);
    // The list endpoint shows only Priya's own tenant.
    const list = await request(server)
      .get('/api/infra-security/tenants')
      .set('Authorization', as(PRIYA));
    expect(JSON.stringify(list.body)).not.toContain('harbor');
    // And nothing of Harbor's changed.
    const after = await request(server)
      .get('/api/infra-security/tenants/harbor-bank/credentials')
      .set('Authorization', as(OMAR));
    expect(after.body.items.map((c: { name: string }) => c.name)).toEqual([
      'harbor-ledger-db',
    ]);
    const keys = await request(server)
      .get('/api/infra-security/tenants/harbor-bank/api-keys')
      .set('Authorization', as(OMAR));
    expect(keys.body.items[0].revokedAt).toBeUndefined();
  });

  it('refuses a missing, mistyped or oversized body on every write endpoint, and an unknown tenant, changing nothing', async () => {
    const server = await startSecurity();
    const auditCount = async (scope: string) =>
      (
        await request(server)
          .get(`/api/infra-security/audit/${scope}/events?limit=500`)
          .set('Authorization', as(LI))
      ).body.items.length;
    const before = { cartwheel: await auditCount('cartwheel') };
    const ids: Record<string, string> = {
      tenantId: 'cartwheel',
      scope: 'cartwheel',
      workspaceId: 'production',
      credentialId: crypto.randomUUID(),
      keyId: 'AAAAAAAAAAAAAAAA',
    };
    let checked = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, any>)) {
        if (!op.requestBody) continue;
        const url = `/api/infra-security${path.replace(
          /\{(\w+)\}/g,
          (_, n) => ids[n],
        )}`;
        const send = (body: unknown) =>
          (request(server) as any)
            [method](url)
            .set('Authorization', as(ALEX))
            .set('Content-Type', 'application/json')
            .send(body);
        const missing = await send({});
        expect({ op: op.operationId, status: missing.status }).toEqual({
          op: op.operationId,
          status: 400,
        });
        expect(missing.body.error.message).toMatch(/required|must have/);
        // Every required field of the operation's body, given a number instead of a string.
        let schema = op.requestBody.content['application/json'].schema;
        if (schema.$ref)
          schema = (spec.components.schemas as any)[
            schema.$ref.split('/').pop()
          ];
        const mistyped = await send(
          Object.fromEntries(schema.required.map((k: string) => [k, 5])),
        );
        expect({ op: op.operationId, status: mistyped.status }).toEqual({
          op: op.operationId,
          status: 400,
        });
        expect(mistyped.body.error.message).toMatch(
          /must be string|must be equal to one of/,
        );
        const oversized = await send(
          JSON.stringify({ value: 'x'.repeat(300_000) }),
        );
        expect({ op: op.operationId, status: oversized.status }).toEqual({
          op: op.operationId,
          status: 413,
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);

    // An unknown tenant: 404 for whoever may act on any tenant, 403 for a member of another.
    const grant = await request(server)
      .post('/api/infra-security/tenants/no-such-tenant/role-bindings')
      .set('Authorization', as(ALEX))
      .send({ userRef: PRIYA, role: 'read-only' });
    expect(grant.status).toBe(404);
    expect(grant.body.error.message).toContain("No tenant 'no-such-tenant'");
    const key = await request(server)
      .post('/api/infra-security/tenants/no-such-tenant/api-keys')
      .set('Authorization', as(ALEX))
      .send({ name: 'x', role: 'read-only' });
    expect(key.status).toBe(404);
    const asMember = await request(server)
      .get('/api/infra-security/tenants/no-such-tenant/workspaces')
      .set('Authorization', as(PRIYA));
    expect(asMember.status).toBe(403);

    // Nothing was stored: no new members, keys, credentials or workspaces, and no new audit
    // events but the refusals.
    const members = await request(server)
      .get('/api/infra-security/tenants/cartwheel/role-bindings')
      .set('Authorization', as(PRIYA));
    expect(
      members.body.items.map((b: { userRef: string }) => b.userRef).sort(),
    ).toEqual([LI, PRIYA]);
    for (const list of ['api-keys', 'credentials']) {
      const res = await request(server)
        .get(`/api/infra-security/tenants/cartwheel/${list}`)
        .set('Authorization', as(PRIYA));
      expect({ list, items: res.body.items }).toEqual({ list, items: [] });
    }
    const workspaces = await request(server)
      .get('/api/infra-security/tenants/cartwheel/workspaces')
      .set('Authorization', as(PRIYA));
    expect(workspaces.body.items.map((w: { id: string }) => w.id)).toEqual([
      'production',
    ]);
    const after = await request(server)
      .get('/api/infra-security/audit/cartwheel/events?limit=500')
      .set('Authorization', as(LI));
    const added = after.body.items.slice(
      0,
      after.body.items.length - before.cartwheel,
    );
    expect(
      added.every((e: { outcome: string }) => e.outcome === 'denied'),
    ).toBe(true);
  });
});
