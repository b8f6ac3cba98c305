import { InputError } from '@backstage/errors';
import {
  Asset,
  AssetChange,
  AssetChangesPage,
  AssetFilter,
  AssetNeighbourhood,
  AssetPage,
  DiscoveredAsset,
  DiscoveredEdge,
  Edge,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  decodeCursor,
  encodeCursor,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { BulkRow, copyRowsPg, insertRowsSqlite } from './bulk';
import { DISCOVERY_MIGRATIONS } from './migrations';
import { Knex } from 'knex';
import crypto from 'node:crypto';

const ASSETS = 'infra_assets';
const EDGES = 'infra_edges';
/** Changed rows after which PostgreSQL's statistics are refreshed. */
const ANALYZE_AFTER_ROWS = 5000;
/** ... and at least this fraction of the rows the statistics last counted. */
const ANALYZE_FRACTION = 0.2;
/** The staging table of changed assets (temporary, per transaction). */
const ASSETS_STAGE = 'infra_assets_stage';
/** The columns a stored asset is written with. */
const ASSET_COLUMNS = [
  'source_id',
  'id',
  'provider',
  'account',
  'region',
  'type',
  'native_id',
  'name',
  'tags',
  'attributes',
  'source_address',
  'first_seen',
  'last_seen',
  'gone_at',
  'content_hash',
  'changed_at',
];
/** What a new view of a known asset replaces (its first sighting stays). */
const MERGED_COLUMNS = ASSET_COLUMNS.filter(
  c => !['source_id', 'id', 'first_seen'].includes(c),
);
/** What a list of assets reads: all but the attributes (the largest column by far). */
const LISTED_COLUMNS = [
  'tenant_id',
  ...ASSET_COLUMNS.filter(c => c !== 'attributes' && c !== 'content_hash'),
];
/** Every column, for lists that ask for attributes. */
const ASSET_READ = ['tenant_id', ...ASSET_COLUMNS];
const EDGE_COLUMNS = ['source_id', 'from_id', 'to_id', 'type', 'details'];
/** Ids per IN list. */
const ID_CHUNK = 500;

export type StoredAsset = DiscoveredAsset;
export type StoredEdge = DiscoveredEdge;

export type ReplaceResult = {
  added: number;
  updated: number;
  gone: number;
  /** Assets whose content changed (added ones included). */
  changed: number;
  edges: number;
};

export type { AssetFilter };

function toAsset(row: any): StoredAsset {
  return {
    id: row.id,
    provider: row.provider,
    account: row.account,
    region: row.region,
    type: row.type,
    nativeId: row.native_id,
    name: row.name,
    tags: JSON.parse(row.tags),
    // Lists select no attributes unless asked (see listAssets).
    attributes:
      row.attributes === undefined ? undefined : JSON.parse(row.attributes),
    ...(row.source_address ? { source: { address: row.source_address } } : {}),
    sourceId: row.source_id,
    firstSeen: toIso(row.first_seen),
    lastSeen: toIso(row.last_seen),
    ...(row.gone_at ? { goneAt: toIso(row.gone_at) } : {}),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/**
 * The asset graph of each tenant, one view per discovery source. A run's result replaces its
 * source's view in one transaction: assets are added or refreshed (first seen kept), assets the
 * run no longer reports are marked gone, edges are replaced. If anything fails, nothing changes.
 */
export class GraphStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new GraphStore(
      await migratedClient({ ...options, ...DISCOVERY_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async replaceSourceGraph(
    tenantId: string,
    sourceId: string,
    graph: { assets: Asset[]; edges: Edge[] },
    seenAt: Date = new Date(),
  ): Promise<ReplaceResult> {
    const ids = new Set<string>();
    for (const a of graph.assets) {
      if (ids.has(a.id))
        throw new InputError(`The run reported asset ${a.id} twice`);
      ids.add(a.id);
    }
    for (const e of graph.edges) {
      if (!ids.has(e.from) || !ids.has(e.to)) {
        throw new InputError(
          `The run reported an edge ${e.type} from ${e.from} to ${e.to}, but not both of its assets`,
        );
      }
    }

    // What an asset is, for "has it changed": its fields and its outgoing relationships.
    const outgoing = new Map<string, string[]>();
    for (const e of graph.edges) {
      const list = outgoing.get(e.from) ?? [];
      // Details too: an ingress edge whose ports change is a change of the asset it leaves.
      list.push(`${e.type}>${e.to}>${JSON.stringify(e.details ?? null)}`);
      outgoing.set(e.from, list);
    }
    // The hash of JSON.stringify([provider, account, region, type, nativeId, name, tags,
    // attributes, address, outgoing]), built from parts so that the tags and attributes are
    // serialised once, for the hash and the row alike.
    const q = JSON.stringify;
    const encode = (a: Asset) => {
      const tags = q(a.tags);
      const attributes = q(a.attributes);
      const hash = crypto
        .createHash('sha256')
        .update(
          `[${q(a.provider)},${q(a.account)},${q(a.region)},${q(a.type)},${q(
            a.nativeId,
          )},${q(a.name)},${tags},${attributes},${q(
            a.source?.address ?? null,
          )},${q((outgoing.get(a.id) ?? []).sort())}]`,
        )
        .digest('hex');
      return { tags, attributes, hash };
    };

    const result = await this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      const pg = trx.client.config.client === 'pg';
      if (pg) {
        // Two runs of one source (two replicas, a retry) write one after the other.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
          `${ASSETS}/${tenantId}/${sourceId}`,
        ]);
      }
      const source = () => scope.table(ASSETS).where({ source_id: sourceId });
      const existing = new Map<
        string,
        { hash: string | null; gone: boolean }
      >();
      for (const r of await source().select('id', 'content_hash', 'gone_at')) {
        existing.set(r.id, { hash: r.content_hash, gone: r.gone_at !== null });
      }
      // Only what changed is written: new, changed and returning assets in full, the others
      // just get their last_seen; edges are rewritten only for assets whose content (which
      // includes their outgoing edges) changed, and for those that are gone.
      const reported = new Set(graph.assets.map(a => a.id));
      // A source's first run: every asset is new, and each is encoded as the database takes
      // the previous ones (the work of both sides overlaps, and no row is held for long).
      const rowsOf = function* rowsOf(store: GraphStore): Iterable<BulkRow> {
        for (const a of graph.assets)
          yield store.row(sourceId, a, seenAt, encode(a));
      };
      const firstRun = existing.size === 0;
      const fresh: BulkRow[] = [];
      const known: BulkRow[] = [];
      if (!firstRun) {
        for (const a of graph.assets) {
          const encoded = encode(a);
          const before = existing.get(a.id);
          if (!before) fresh.push(this.row(sourceId, a, seenAt, encoded));
          else if (before.gone || before.hash !== encoded.hash)
            known.push(this.row(sourceId, a, seenAt, encoded));
        }
      }
      const freshRows = firstRun ? rowsOf(this) : fresh;
      const added = firstRun ? graph.assets.length : fresh.length;
      const goneIds = [...existing]
        .filter(([id, e]) => !e.gone && !reported.has(id))
        .map(([id]) => id);

      if (pg && goneIds.length) {
        await source()
          .whereRaw('id = ANY(?::text[])', [goneIds])
          .update({ gone_at: seenAt, changed_at: seenAt });
      } else {
        for (const batch of chunks(goneIds, ID_CHUNK)) {
          await source()
            .whereIn('id', batch)
            .update({ gone_at: seenAt, changed_at: seenAt });
        }
      }
      if (existing.size)
        await source().whereNull('gone_at').update({ last_seen: seenAt });
      if (pg) {
        // New assets go straight into the table through COPY; changed and returning ones
        // through COPY into a staging table and one set-based UPDATE (first seen kept).
        await copyRowsPg(trx, ASSETS, ASSET_COLUMNS, tenantId, freshRows);
        if (known.length) {
          await trx.raw(
            `CREATE TEMP TABLE "${ASSETS_STAGE}" (LIKE "${ASSETS}" INCLUDING DEFAULTS) ON COMMIT DROP`,
          );
          await copyRowsPg(trx, ASSETS_STAGE, ASSET_COLUMNS, tenantId, known);
          await trx.raw(
            `UPDATE "${ASSETS}" AS a SET ${MERGED_COLUMNS.map(
              c => `"${c}" = s."${c}"`,
            ).join(', ')} FROM "${ASSETS_STAGE}" AS s
             WHERE a.tenant_id = s.tenant_id AND a.source_id = s.source_id AND a.id = s.id`,
          );
        }
      } else {
        await insertRowsSqlite(
          trx,
          ASSETS,
          ASSET_COLUMNS,
          tenantId,
          firstRun ? freshRows : [...fresh, ...known],
          { conflict: ['tenant_id', 'source_id', 'id'], merge: MERGED_COLUMNS },
        );
      }

      const rewritten = firstRun ? reported : new Set<string>();
      for (const r of fresh) rewritten.add(r.id as string);
      for (const r of known) rewritten.add(r.id as string);
      const stale = [...rewritten, ...goneIds].filter(id => existing.has(id));
      const edges = () => scope.table(EDGES).where({ source_id: sourceId });
      if (stale.length === existing.size && existing.size > 0) {
        await edges().delete();
      } else if (pg && stale.length) {
        await edges().whereRaw('from_id = ANY(?::text[])', [stale]).delete();
      } else {
        for (const batch of chunks(stale, ID_CHUNK)) {
          await edges().whereIn('from_id', batch).delete();
        }
      }
      const edgeRows = function* edgeRows(): Iterable<BulkRow> {
        for (const e of graph.edges) {
          if (!rewritten.has(e.from)) continue;
          yield {
            source_id: sourceId,
            from_id: e.from,
            to_id: e.to,
            type: e.type,
            details: e.details ? JSON.stringify(e.details) : null,
          };
        }
      };
      if (pg) {
        await copyRowsPg(trx, EDGES, EDGE_COLUMNS, tenantId, edgeRows());
      } else {
        await insertRowsSqlite(trx, EDGES, EDGE_COLUMNS, tenantId, edgeRows());
      }
      return {
        added,
        updated: graph.assets.length - added,
        gone: goneIds.length,
        changed: added + known.length,
        edges: graph.edges.length,
      };
    });
    // After a large change PostgreSQL's statistics are stale until autovacuum gets to them, and
    // the planner then scans where it should use an index (the catalog's full read right after a
    // first discovery was 8x slower); refresh them at once when the change is large against
    // what the statistics describe (a fifth of the rows; never analysed: always).
    const touched = result.changed + result.gone;
    if (
      this.knex.client.config.client === 'pg' &&
      touched >= ANALYZE_AFTER_ROWS
    ) {
      const { rows } = await this.knex.raw(
        `SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)`,
        [ASSETS],
      );
      const described = Number(rows[0]?.reltuples ?? -1);
      if (described < 0 || touched >= described * ANALYZE_FRACTION)
        await this.knex.raw(`ANALYZE "${ASSETS}", "${EDGES}"`);
    }
    return result;
  }

  private row(
    sourceId: string,
    a: Asset,
    seenAt: Date,
    encoded: { tags: string; attributes: string; hash: string },
  ): BulkRow {
    return {
      source_id: sourceId,
      id: a.id,
      provider: a.provider,
      account: a.account,
      region: a.region,
      type: a.type,
      native_id: a.nativeId,
      name: a.name,
      tags: encoded.tags,
      attributes: encoded.attributes,
      source_address: a.source?.address ?? null,
      first_seen: seenAt,
      last_seen: seenAt,
      gone_at: null,
      content_hash: encoded.hash,
      changed_at: seenAt,
    };
  }

  /**
   * The assets that changed after the cursor (all of them without one), oldest change first, each
   * merged across sources: its latest view and outgoing edges, or `removed` when no source has it
   * any more. `includeRemoved: false` lists only current assets (for a full listing).
   */
  async changes(
    tenantId: string,
    options: { after?: string; limit: number; includeRemoved: boolean },
  ): Promise<AssetChangesPage> {
    const scope = TenantScope.of(this.knex, tenantId);
    let q = scope.table(ASSETS).select('id', 'changed_at');
    if (!options.includeRemoved) q = q.whereNull('gone_at');
    if (options.after) {
      const [at, id] = decodeCursor(
        options.after,
        ['number', 'string'],
        'changes cursor',
      );
      // A row-value comparison, so that the (tenant_id, changed_at, id) index serves it.
      q = q.whereRaw('(changed_at, id) > (?, ?)', [new Date(at), id]);
    }
    const rows = await q
      .orderBy([{ column: 'changed_at' }, { column: 'id' }])
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    const ids: string[] = [
      ...new Set<string>(page.map((r: { id: string }) => r.id)),
    ];
    const views = new Map<string, StoredAsset[]>();
    const edges = new Map<string, Map<string, { to: string; type: any }>>();
    for (const batch of chunks(ids, ID_CHUNK)) {
      for (const r of await scope.table(ASSETS).whereIn('id', batch)) {
        const a = toAsset(r);
        views.set(a.id, [...(views.get(a.id) ?? []), a]);
      }
      for (const e of await scope
        .table(EDGES)
        .whereIn('from_id', batch)
        .select('from_id', 'to_id', 'type')) {
        const m = edges.get(e.from_id) ?? new Map();
        m.set(`${e.type}>${e.to_id}`, { to: e.to_id, type: e.type });
        edges.set(e.from_id, m);
      }
    }
    const items: AssetChange[] = ids.map(id => {
      const current = (views.get(id) ?? []).filter(v => !v.goneAt);
      if (current.length === 0) return { id, removed: true };
      current.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
      return {
        id,
        asset: current[0],
        edges: [...(edges.get(id)?.values() ?? [])],
      };
    });
    const last = page[page.length - 1];
    return {
      items,
      more: rows.length > options.limit,
      ...(last
        ? {
            nextAfter: encodeCursor(
              new Date(last.changed_at).getTime(),
              last.id,
            ),
          }
        : {}),
    };
  }

  /** Assets of the given tenants, ordered by tenant, id and source, with keyset paging. */
  async listAssets(
    tenantIds: string[],
    filter: AssetFilter,
    page: { limit: number; after?: string },
    options: { attributes?: boolean } = {},
  ): Promise<AssetPage> {
    const base = () => {
      let q = TenantScope.ofMany(this.knex, tenantIds).table(ASSETS);
      if (!filter.includeGone) q = q.whereNull('gone_at');
      if (filter.type) q = q.where('type', filter.type);
      if (filter.account) q = q.where('account', filter.account);
      if (filter.region) q = q.where('region', filter.region);
      if (filter.search) {
        const like = `%${filter.search
          .toLowerCase()
          .replace(/[%_\\]/g, c => `\\${c}`)}%`;
        q = q.where(w =>
          w
            .whereRaw(`LOWER(name) LIKE ? ESCAPE '\\'`, [like])
            .orWhereRaw(`LOWER(id) LIKE ? ESCAPE '\\'`, [like]),
        );
      }
      return q;
    };
    const [{ total }] = await base().count({ total: '*' });
    let q = base().orderBy([
      { column: 'tenant_id' },
      { column: 'id' },
      { column: 'source_id' },
    ]);
    if (page.after) {
      const [t, s, id] = decodeCursor(page.after, [
        'string',
        'string',
        'string',
      ]);
      q = q.where(w =>
        w
          .where('tenant_id', '>', t)
          .orWhere(w2 => w2.where('tenant_id', t).where('id', '>', id))
          .orWhere(w3 =>
            w3.where('tenant_id', t).where('id', id).where('source_id', '>', s),
          ),
      );
    }
    const rows = await q
      .select(options.attributes ? ASSET_READ : LISTED_COLUMNS)
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit).map((r: any) => {
      const { attributes, ...rest } = toAsset(r);
      return options.attributes ? { ...rest, attributes } : rest;
    });
    const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
    return {
      items,
      total: Number(total),
      ...(last
        ? {
            nextAfter: encodeCursor(last.tenant_id, last.source_id, last.id),
          }
        : {}),
    };
  }

  /** One asset (from any source of the tenant) and its edges in both directions. */
  async getAsset(
    tenantId: string,
    id: string,
  ): Promise<{ views: StoredAsset[]; edges: StoredEdge[] } | undefined> {
    const scope = TenantScope.of(this.knex, tenantId);
    const rows = await scope.table(ASSETS).where({ id });
    if (rows.length === 0) return undefined;
    const edges = await scope
      .table(EDGES)
      .where(w => w.where('from_id', id).orWhere('to_id', id))
      .select('from_id', 'to_id', 'type', 'details', 'source_id');
    return {
      views: rows.map(toAsset),
      edges: edges.map((e: any) => ({
        from: e.from_id,
        to: e.to_id,
        type: e.type,
        sourceId: e.source_id,
        ...(e.details ? { details: JSON.parse(e.details) } : {}),
      })),
    };
  }

  /** A tenant's current graph across its sources (gone assets left out), for path finding. */
  /**
   * The current assets within `depth` relationships of `id` (in either direction), at most
   * `maxNodes` of them, and the edges between those assets.
   */
  async neighbourhood(
    tenantId: string,
    id: string,
    depth: number,
    maxNodes = 300,
  ): Promise<AssetNeighbourhood | undefined> {
    const scope = TenantScope.of(this.knex, tenantId);
    if (!(await scope.table(ASSETS).where({ id }).whereNull('gone_at').first()))
      return undefined;
    const seen = new Set<string>([id]);
    const edgeKeys = new Set<string>();
    const edges: StoredEdge[] = [];
    let frontier = [id];
    let truncated = false;
    for (
      let level = 0;
      level < depth && frontier.length && !truncated;
      level++
    ) {
      const next: string[] = [];
      for (let i = 0; i < frontier.length; i += 200) {
        const batch = frontier.slice(i, i + 200);
        const rows = await scope
          .table(EDGES)
          .where(w => w.whereIn('from_id', batch).orWhereIn('to_id', batch))
          .select('from_id', 'to_id', 'type', 'details', 'source_id');
        for (const e of rows) {
          for (const end of [e.from_id, e.to_id]) {
            if (seen.has(end)) continue;
            if (seen.size >= maxNodes) {
              truncated = true;
              continue;
            }
            seen.add(end);
            next.push(end);
          }
          const key = `${e.from_id}\u0000${e.to_id}\u0000${e.type}`;
          if (seen.has(e.from_id) && seen.has(e.to_id) && !edgeKeys.has(key)) {
            edgeKeys.add(key);
            edges.push({
              from: e.from_id,
              to: e.to_id,
              type: e.type,
              sourceId: e.source_id,
              ...(e.details ? { details: JSON.parse(e.details) } : {}),
            });
          }
        }
      }
      frontier = next;
    }
    const ids = [...seen];
    const nodes = new Map<
      string,
      Pick<StoredAsset, 'id' | 'type' | 'name' | 'account' | 'region'>
    >();
    for (let i = 0; i < ids.length; i += 200) {
      const rows = await scope
        .table(ASSETS)
        .whereIn('id', ids.slice(i, i + 200))
        .whereNull('gone_at')
        .select('id', 'type', 'name', 'account', 'region');
      for (const r of rows) nodes.set(r.id, r);
    }
    return {
      nodes: [...nodes.values()],
      edges: edges.filter(e => nodes.has(e.from) && nodes.has(e.to)),
      truncated,
    };
  }

  /** Deletes a tenant's whole graph (the tenant was deleted); returns the counts. */
  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const edges = await s.table(EDGES).delete();
      const assets = await s.table(ASSETS).delete();
      return { assets, edges };
    });
  }

  /** Changes whenever the tenant's current graph changes: its latest change time. */
  async version(tenantId: string): Promise<string> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(ASSETS)
      .max({ at: 'changed_at' })
      .first();
    return row?.at ? String(new Date(row.at).getTime()) : 'empty';
  }

  async loadGraph(
    tenantId: string,
  ): Promise<{ assets: StoredAsset[]; edges: StoredEdge[] }> {
    const scope = TenantScope.of(this.knex, tenantId);
    const rows = await scope.table(ASSETS).whereNull('gone_at');
    const edges = await scope
      .table(EDGES)
      .select('from_id', 'to_id', 'type', 'details', 'source_id');
    const live = new Set(
      rows.map(
        (r: { source_id: string; id: string }) => `${r.source_id}|${r.id}`,
      ),
    );
    return {
      assets: rows.map(toAsset),
      edges: edges
        .filter(
          (e: any) =>
            live.has(`${e.source_id}|${e.from_id}`) &&
            live.has(`${e.source_id}|${e.to_id}`),
        )
        .map((e: any) => ({
          from: e.from_id,
          to: e.to_id,
          type: e.type,
          sourceId: e.source_id,
          ...(e.details ? { details: JSON.parse(e.details) } : {}),
        })),
    };
  }
}
