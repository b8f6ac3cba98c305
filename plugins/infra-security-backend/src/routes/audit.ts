import express from 'express';
import { infraAuditLogReadPermission } from '@infra-hub/plugin-infra-security-common';
import {
  pageLimit,
  sendCsv,
  toCsv,
} from '@infra-hub/plugin-infra-security-node';
import { SecurityRouteContext } from './context';

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'scope',
  'actor',
  'action',
  'outcome',
  'subject',
  'details',
  'prevHash',
  'hash',
] as const;

/**
 * The audit log: read, exported as CSV, verified against its checkpoints, and written by the
 * suite's plugins.
 */
export function auditRoutes(ctx: SecurityRouteContext) {
  const { router, kit, authorizer, audit, checkpoints } =
    ctx;
  // ---- audit log --------------------------------------------------------------------------------

  router.get('/audit/:scope/events', async (req, res) => {
    const credentials = await kit.credentials(req);
    const { scope } = req.params;
    await authorizer.authorize(credentials, infraAuditLogReadPermission, scope);
    const q = req.query;
    const csv = q.format === 'csv';
    const limit = csv
      ? 10_000
      : pageLimit(q.limit, { fallback: 100, max: 500 });
    const page = await audit.list(scope, {
      action: q.action,
      actor: q.actor,
      outcome: q.outcome,
      from: q.from,
      to: q.to,
      before: q.before === undefined ? undefined : Number(q.before),
      limit,
    });
    if (csv) {
      sendCsv(
        res as unknown as express.Response,
        `audit-${scope}.csv`,
        toCsv(
          CSV_COLUMNS,
          page.events.map(e => CSV_COLUMNS.map(c => e[c])),
        ),
      );
      return;
    }
    res.json({ items: page.events, nextBefore: page.nextBefore });
  });

  router.get('/audit/:scope/verify', async (req, res) => {
    await kit.allowed(req, infraAuditLogReadPermission, req.params.scope);
    res.json(await checkpoints.verify(req.params.scope));
  });

  router.post('/audit/events', async (req, res) => {
    await kit.pluginService(req);
    const event = await audit.recordEvent(req.body);
    if (event) res.status(201).json(event);
    else res.status(202).json({ aggregated: true });
  });
}
