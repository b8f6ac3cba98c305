import { mockServices } from '@backstage/backend-test-utils';
import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { TenantScope } from '@infra-hub/plugin-infra-security-node';
import { ApiKeyStore } from '../database/ApiKeyStore';
import { AuditStore } from '../database/AuditStore';
import { CredentialStore } from '../database/CredentialStore';
import { TenantStore } from '../database/TenantStore';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { ApiKeys } from './ApiKeys';
import { AuditCheckpoints } from './AuditCheckpoints';
import { AuditLog } from './AuditLog';
import { Credentials } from './Credentials';
import { Tenants } from './Tenants';
import { Vault } from './Vault';

const databases = createInfraTestDatabases();

async function setup(id: Parameters<typeof databases.init>[0]) {
  const database = mockServices.database({ knex: await databases.init(id) });
  const stores = {
    tenants: await TenantStore.create({ database }),
    audit: await AuditStore.create({ database }),
    credentials: await CredentialStore.create({ database }),
    apiKeys: await ApiKeyStore.create({ database }),
  };
  const knex = await database.getClient();
  const newAudit = (
    options?: Partial<ConstructorParameters<typeof AuditLog>[1]>,
  ) =>
    new AuditLog(stores.audit, {
      logger: mockServices.logger.mock(),
      tenantExists: tenantId => stores.tenants.exists(tenantId),
      ...options,
    });
  const audit = newAudit();
  const tenants = new Tenants(stores.tenants, audit);
  const newCredentials = (vault: Vault, log = audit) =>
    new Credentials(stores.credentials, vault, log, async () =>
      (await tenants.list('all')).map(t => t.id),
    );
  await tenants.create(
    { id: 'cartwheel', title: 'Cartwheel' },
    'user:default/alex',
  );
  await tenants.create(
    { id: 'harbor-bank', title: 'Harbor' },
    'user:default/alex',
  );
  return { knex, stores, audit, newAudit, tenants, newCredentials };
}

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

describe.each(databases.eachSupportedId())(
  'security spine storage on %s',
  databaseId => {
    it('keeps the audit log append-only: the database refuses UPDATE and DELETE', async () => {
      const { knex, audit } = await setup(databaseId);
      const event = await audit.record({
        scope: 'cartwheel',
        actor: 'user:default/priya.shah',
        action: 'role.granted',
        subject: 'user:default/maria.garcia',
        details: { role: 'read-only' },
      });
      await expect(
        knex('infra_audit_events')
          .where({ id: event.id })
          .update({ actor: 'someone-else' }),
      ).rejects.toThrow(/append-only/);
      await expect(
        knex('infra_audit_events').where({ id: event.id }).delete(),
      ).rejects.toThrow(/append-only/);
      // TRUNCATE on PostgreSQL; SQLite has none, and a bulk DELETE is refused like any other.
      const wipe = isPg(knex)
        ? knex.raw('TRUNCATE infra_audit_events')
        : knex.raw('DELETE FROM infra_audit_events');
      await expect(wipe).rejects.toThrow(/append-only/);
      const [{ count }] = await knex('infra_audit_events')
        .where({ id: event.id })
        .count({ count: '*' });
      expect(Number(count)).toBe(1);
      expect(
        (await knex('infra_audit_events').where({ id: event.id }).first())
          .actor,
      ).toBe('user:default/priya.shah');
    });

    it('signs the heads of the chains and finds the newest events cut off behind the triggers', async () => {
      const { knex, stores, audit, newCredentials } = await setup(databaseId);
      const credentials = newCredentials(
        new Vault({ k: crypto.randomBytes(32) }, 'k'),
      );
      const checkpoints = new AuditCheckpoints({
        store: stores.audit,
        audit,
        credentials,
        logger: mockServices.logger.mock(),
      });
      for (let i = 0; i < 4; i++)
        await audit.record({
          scope: 'cartwheel',
          actor: 'user:default/a',
          action: 'test.event',
          details: { i },
        });
      // Every chain that moved is signed, once; nothing moved: nothing signed.
      expect(await checkpoints.checkpoint()).toBe(3); // system, cartwheel, harbor-bank
      expect(await checkpoints.checkpoint()).toBe(0);
      const before = await checkpoints.verify('cartwheel');
      expect(before).toMatchObject({
        valid: true,
        checkpoint: { signatureValid: true, matches: true },
      });
      // Checkpoints are append-only too.
      await expect(knex('infra_audit_checkpoints').delete()).rejects.toThrow(
        /append-only/,
      );

      // Someone with the owner's rights switches the protection off and cuts the newest events.
      if (isPg(knex)) {
        await knex.raw(
          'ALTER TABLE infra_audit_events DISABLE TRIGGER infra_audit_events_no_update_delete',
        );
      } else {
        await knex.raw('DROP TRIGGER infra_audit_events_no_delete');
      }
      const newest = (await audit.list('cartwheel', { limit: 2 })).events;
      await knex('infra_audit_events')
        .whereIn(
          'id',
          newest.map(e => e.id),
        )
        .delete();
      // The chain alone still holds: only the checkpoint shows what is missing.
      expect((await audit.verify('cartwheel')).valid).toBe(true);
      const after = await checkpoints.verify('cartwheel');
      expect(after.valid).toBe(false);
      expect(after.brokenAt).toEqual({
        seq: before.checkpoint!.seq,
        reason: expect.stringMatching(
          /^the log ends at seq \d+, before the event at seq \d+ that a signed checkpoint names: events were removed$/,
        ),
      });
    });

    it('chains each scope and finds an edit made behind the triggers', async () => {
      const { knex, audit } = await setup(databaseId);
      for (let i = 0; i < 5; i++) {
        await audit.record({
          scope: 'cartwheel',
          actor: 'user:default/a',
          action: 'test.event',
          details: { i },
        });
        await audit.record({
          scope: 'harbor-bank',
          actor: 'user:default/b',
          action: 'test.event',
          details: { i },
        });
      }
      expect(await audit.verify('cartwheel')).toMatchObject({
        valid: true,
        checked: 6,
      });
      expect(await audit.verify('harbor-bank')).toMatchObject({
        valid: true,
        checked: 6,
      });

      // Someone with the database's owner rights switches the protection off and edits history.
      const victim = (
        await audit.list('cartwheel', { action: 'test.event', limit: 10 })
      ).events[2];
      if (isPg(knex)) {
        await knex.raw(
          'ALTER TABLE infra_audit_events DISABLE TRIGGER infra_audit_events_no_update_delete',
        );
      } else {
        await knex.raw('DROP TRIGGER infra_audit_events_no_update');
      }
      await knex('infra_audit_events')
        .where({ id: victim.id })
        .update({ details: JSON.stringify({ i: 99 }) });

      const result = await audit.verify('cartwheel');
      expect(result.valid).toBe(false);
      expect(result.brokenAt).toEqual({
        seq: victim.seq,
        reason: 'content does not match its hash',
      });
      // The other tenant's chain is untouched.
      expect((await audit.verify('harbor-bank')).valid).toBe(true);
    });

    it("hands every event to Backstage's auditor as well", async () => {
      const { newAudit } = await setup(databaseId);
      const seen: Array<{ eventId: string; meta?: object; outcome?: string }> =
        [];
      const auditor = {
        createEvent: async (options: { eventId: string; meta?: object }) => ({
          success: async () => {
            seen.push({ ...options, outcome: 'success' });
          },
          fail: async () => {
            seen.push({ ...options, outcome: 'fail' });
          },
        }),
      };
      const audit = newAudit({ auditor: auditor as any });
      const ok = await audit.record({
        scope: 'cartwheel',
        actor: 'user:default/p',
        action: 'role.granted',
        subject: 'user:default/m',
      });
      await audit.record({
        scope: 'cartwheel',
        actor: 'user:default/x',
        action: 'permission.denied',
        outcome: 'denied',
      });
      expect(seen).toEqual([
        {
          eventId: 'role-granted',
          severityLevel: 'low',
          meta: {
            scope: 'cartwheel',
            actor: 'user:default/p',
            subject: 'user:default/m',
            seq: ok.seq,
            hash: ok.hash,
          },
          outcome: 'success',
        },
        expect.objectContaining({
          eventId: 'permission-denied',
          severityLevel: 'medium',
          outcome: 'fail',
        }),
      ]);
    });

    it('filters and pages the audit log within one scope', async () => {
      const { audit } = await setup(databaseId);
      for (let i = 0; i < 7; i++) {
        await audit.record({
          scope: 'cartwheel',
          actor: `user:default/u${i % 2}`,
          action: i % 2 ? 'x.odd' : 'x.even',
        });
      }
      await audit.record({
        scope: 'harbor-bank',
        actor: 'user:default/u0',
        action: 'x.even',
      });
      const first = await audit.list('cartwheel', {
        action: 'x.even',
        limit: 2,
      });
      expect(first.events.map(e => e.details)).toHaveLength(2);
      expect(
        first.events.every(
          e => e.scope === 'cartwheel' && e.action === 'x.even',
        ),
      ).toBe(true);
      const second = await audit.list('cartwheel', {
        action: 'x.even',
        limit: 2,
        before: first.nextBefore,
      });
      expect(second.events).toHaveLength(2);
      expect(second.nextBefore).toBeUndefined();
      expect(second.events[0].seq).toBeLessThan(first.events[1].seq);
    });

    it('stores credentials encrypted, per tenant, and rotates them to a new key', async () => {
      const { knex, audit, newCredentials } = await setup(databaseId);
      const k1 = crypto.randomBytes(32);
      const k2 = crypto.randomBytes(32);
      const before = newCredentials(new Vault({ k1 }, 'k1'));
      const created = await before.create(
        'cartwheel',
        {
          name: 'aws-prod',
          kind: 'aws-secret-key',
          value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
        'user:default/priya.shah',
      );
      const row = await knex('infra_credentials')
        .where({ id: created.id })
        .first();
      expect(JSON.stringify(row)).not.toContain('wJalrXUtnFEMI');
      expect(row.key_id).toBe('k1');
      // Another tenant's scope does not see it.
      expect(await before.list('harbor-bank')).toEqual([]);
      await expect(
        before.use('harbor-bank', created.id, 'svc', async v => v),
      ).rejects.toThrow(/No credential/);
      await expect(
        before.create(
          'cartwheel',
          { name: 'aws-prod', kind: 'x', value: 'y' },
          'user:default/p',
        ),
      ).rejects.toThrow(/already has a credential named/);

      // The installation's own secrets (system scope) are kept apart from every tenant's.
      const system = await before.create(
        'system',
        {
          name: 'signing-key',
          kind: 'ml-dsa-65-secret-key',
          value: 'c2VjcmV0',
        },
        'plugin:infra-change',
      );
      expect(await before.list('cartwheel')).toHaveLength(1);
      expect(
        await knex('infra_system_credentials').where({ id: system.id }).first(),
      ).toMatchObject({ tenant_id: 'system', key_id: 'k1' });

      const after = newCredentials(new Vault({ k1, k2 }, 'k2'));
      expect(await after.rotate('user:default/alex')).toEqual({
        reencrypted: 2,
        activeKeyId: 'k2',
      });
      const onlyNew = newCredentials(new Vault({ k2 }, 'k2'));
      await expect(
        onlyNew.use('cartwheel', created.id, 'svc', async v => v),
      ).resolves.toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
      await expect(
        onlyNew.use('system', system.id, 'plugin:infra-change', async v => v),
      ).resolves.toBe('c2VjcmV0');
      const actions = (await audit.list('cartwheel', { limit: 20 })).events.map(
        e => e.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining([
          'credential.created',
          'credential.rotated',
          'credential.used',
        ]),
      );
    });

    it('refuses a row that points at another tenant, and scopes cannot be escaped', async () => {
      const { knex } = await setup(databaseId);
      await expect(
        knex('infra_workspaces').insert({
          tenant_id: 'no-such-tenant',
          id: 'prod',
          title: 'P',
          created_by: 'x',
        }),
      ).rejects.toThrow();
      const scope = TenantScope.of(knex, 'cartwheel');
      expect(() =>
        scope.insert('infra_workspaces', {
          tenant_id: 'harbor-bank',
          id: 'w',
          title: 'W',
        }),
      ).toThrow(/inserted in the scope of 'cartwheel'/);
      expect(() => TenantScope.of(knex, '')).toThrow(/Invalid tenant id/);
      expect(() => TenantScope.of(knex, "x' OR 1=1 --")).toThrow(
        /Invalid tenant id/,
      );
    });

    it('counts repeated denials and refused sign-ins instead of writing each, within a bound', async () => {
      const { knex, newAudit } = await setup(databaseId);
      const audit = newAudit({ noise: { windowMs: 3_600_000, maxOpen: 5 } });
      const count = async () =>
        Number((await knex('infra_audit_events').count({ n: '*' }).first())!.n);
      const before = await count();
      const denial = (actor: string) => ({
        scope: 'cartwheel',
        actor,
        action: 'permission.denied',
        outcome: 'denied' as const,
        details: { permission: 'infra.credentials.manage' },
      });
      // 200 denials of one caller: one event now, one with the count when the window closes.
      for (let i = 0; i < 200; i++)
        await audit.recordNoisy(denial('user:default/mallory'));
      expect(await count()).toBe(before + 1);
      // 100 more callers: five kinds open at most, the rest counted together.
      for (let i = 0; i < 100; i++)
        await audit.recordNoisy(denial(`user:default/u${i}`));
      expect(await count()).toBe(before + 5);
      await audit.flushNoisy();
      const written = await audit.list('cartwheel', {
        action: 'permission.denied',
        limit: 50,
      });
      expect(
        written.events.find(e => e.details.repeated === 199),
      ).toMatchObject({ actor: 'user:default/mallory' });
      const overflow = await audit.list('system', {
        action: 'permission.denied',
        limit: 5,
      });
      expect(overflow.events[0]).toMatchObject({
        actor: 'many',
        details: { repeated: 96 },
      });
      expect(await count()).toBe(before + 7);
      // The chains stay valid.
      expect((await audit.verify('cartwheel')).valid).toBe(true);
    });

    it('creates, verifies and revokes API keys, storing only a hash', async () => {
      const { knex, stores, audit, tenants } = await setup(databaseId);
      await tenants.grant(
        'cartwheel',
        'user:default/priya.shah',
        'tenant-admin',
        'user:default/alex',
      );
      const keys = new ApiKeys(stores.apiKeys, audit, {
        rolesIn: (u, t) => tenants.rolesIn(u, t),
        lifetimes: { defaultDays: 90, maxDays: 365 },
      });
      const { key, token } = await keys.create(
        'cartwheel',
        { name: 'ci', role: 'read-only' },
        'user:default/priya.shah',
      );
      expect(token.startsWith(`sk_cartwheel.${key.id}.`)).toBe(true);
      const row = await knex('infra_api_keys').where({ id: key.id }).first();
      expect(row.secret_hash).toMatch(/^scrypt\$/);
      expect(JSON.stringify(row)).not.toContain(token.split('.')[2]);
      expect(await keys.introspect(token)).toEqual({
        keyId: key.id,
        tenantId: 'cartwheel',
        role: 'read-only',
        createdBy: 'user:default/priya.shah',
      });
      const days = (Date.parse(key.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThanOrEqual(90);
      expect(await keys.introspect(`${token.slice(0, -2)}xx`)).toBeUndefined();
      expect(
        await keys.introspect(
          token.replace('sk_cartwheel.', 'sk_harbor-bank.'),
        ),
      ).toBeUndefined();
      expect((await keys.list('cartwheel'))[0].lastUsedAt).toBeDefined();
      await keys.revoke('cartwheel', key.id, 'user:default/priya.shah');
      expect(await keys.introspect(token)).toBeUndefined();
    });

    it('keeps a key below its creator, within its lifetime, and refuses it once either ends', async () => {
      const { knex, stores, audit, tenants } = await setup(databaseId);
      const TOMAS = 'user:default/tomas.novak';
      await tenants.grant('cartwheel', TOMAS, 'security-analyst', 'u:a');
      const keys = new ApiKeys(stores.apiKeys, audit, {
        rolesIn: (u, t) => tenants.rolesIn(u, t),
        lifetimes: { defaultDays: 30, maxDays: 60 },
      });
      const before = await knex('infra_api_keys').count({ n: '*' });

      // Above the creator's role, in a tenant where they hold none, too long: refused, nothing stored.
      await expect(
        keys.create('cartwheel', { name: 'k', role: 'tenant-admin' }, TOMAS),
      ).rejects.toThrow(/cannot hold more than its creator.*security-analyst/);
      await expect(
        keys.create('harbor-bank', { name: 'k', role: 'read-only' }, TOMAS),
      ).rejects.toThrow(/roles in 'harbor-bank' \(none\)/);
      await expect(
        keys.create(
          'cartwheel',
          { name: 'k', role: 'read-only', expiresInDays: 61 },
          TOMAS,
        ),
      ).rejects.toThrow(
        /expiresInDays must be a whole number of days from 1 to 60/,
      );
      expect(await knex('infra_api_keys').count({ n: '*' })).toEqual(before);

      // read-only grants nothing security-analyst does not: allowed.
      const { key, token } = await keys.create(
        'cartwheel',
        { name: 'reader', role: 'read-only', expiresInDays: 7 },
        TOMAS,
      );
      expect(await keys.introspect(token)).toMatchObject({ keyId: key.id });

      // The creator loses the role: the key stops working with it.
      await tenants.revoke('cartwheel', TOMAS, 'security-analyst', 'u:a');
      expect(await keys.introspect(token)).toBeUndefined();
      await tenants.grant('cartwheel', TOMAS, 'read-only', 'u:a');
      expect(await keys.introspect(token)).toMatchObject({ keyId: key.id });

      // Past its expiry: refused.
      await knex('infra_api_keys')
        .where({ id: key.id })
        .update({ expires_at: new Date(Date.now() - 1000) });
      expect(await keys.introspect(token)).toBeUndefined();
    });

    it('deletes a tenant with everything stored for it except its audit log', async () => {
      const { knex, audit, tenants } = await setup(databaseId);
      await tenants.createWorkspace(
        'harbor-bank',
        { id: 'prod', title: 'Prod' },
        'user:default/alex',
      );
      await tenants.grant(
        'harbor-bank',
        'user:default/omar',
        'tenant-admin',
        'user:default/alex',
      );
      await tenants.delete('harbor-bank', 'user:default/alex');
      expect(
        await knex('infra_workspaces').where({ tenant_id: 'harbor-bank' }),
      ).toEqual([]);
      expect(
        await knex('infra_role_bindings').where({ tenant_id: 'harbor-bank' }),
      ).toEqual([]);
      expect(
        (await audit.list('harbor-bank', { limit: 10 })).events.length,
      ).toBeGreaterThan(0);
      expect((await audit.verify('harbor-bank')).valid).toBe(true);
      await expect(tenants.get('harbor-bank')).rejects.toThrow(/No tenant/);
    });
  },
);
