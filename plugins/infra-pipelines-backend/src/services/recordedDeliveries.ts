import { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { PipelineService } from './PipelineService';

/** A delivery as recorded: the provider's event name, its delivery id, and the payload. */
type Recorded = { event: string; delivery?: string; body: any };

const ISO = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/g;
const GITLAB = /"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC"/g;

/** `text` with every timestamp moved by `shiftMs`, in its own format. */
function shifted(text: string, shiftMs: number): string {
  const move = (at: string) => new Date(Date.parse(at) + shiftMs);
  return text
    .replace(ISO, (_m, at) => `"${move(at).toISOString()}"`)
    .replace(
      GITLAB,
      (_m, at) =>
        `"${move(`${at.replace(' ', 'T')}Z`)
          .toISOString()
          .slice(0, 19)
          .replace('T', ' ')} UTC"`,
    );
}

function latest(text: string): number {
  let max = 0;
  for (const m of text.matchAll(ISO)) max = Math.max(max, Date.parse(m[1]));
  for (const m of text.matchAll(GITLAB)) {
    max = Math.max(max, Date.parse(`${m[1].replace(' ', 'T')}Z`));
  }
  return max;
}

/**
 * Delivers the recorded webhook deliveries of `dir` (`<tenant>/<connection>/*.json`, in name
 * order) through the plugin's own webhook route, each signed with its connection's secret, as the
 * provider would send it; their times moved so that the newest is ten minutes ago. Deliveries
 * received before (a restart) are refused as replays and skipped.
 */
export async function deliverRecorded(options: {
  dir: string;
  baseUrl: string;
  service: PipelineService;
  logger: LoggerService;
  now?: Date;
}): Promise<{
  delivered: number;
  replays: number;
  ignored: number;
  failed: number;
}> {
  const { dir, service, logger } = options;
  const files: Array<{ tenantId: string; connectionId: string; file: string }> =
    [];
  for (const tenantId of fs.readdirSync(dir).sort()) {
    const tenantDir = path.join(dir, tenantId);
    if (!fs.statSync(tenantDir).isDirectory()) continue;
    for (const connectionId of fs.readdirSync(tenantDir).sort()) {
      const connectionDir = path.join(tenantDir, connectionId);
      if (!fs.statSync(connectionDir).isDirectory()) continue;
      for (const name of fs.readdirSync(connectionDir).sort()) {
        if (name.endsWith('.json')) {
          files.push({
            tenantId,
            connectionId,
            file: path.join(connectionDir, name),
          });
        }
      }
    }
  }
  const recorded = files.map(f => ({
    ...f,
    record: JSON.parse(fs.readFileSync(f.file, 'utf8')) as Recorded,
  }));
  const newest = Math.max(
    0,
    ...recorded.map(r => latest(JSON.stringify(r.record.body))),
  );
  const now = (options.now ?? new Date()).getTime();
  const shift = newest ? now - 10 * 60_000 - newest : 0;
  const outcome = { delivered: 0, replays: 0, ignored: 0, failed: 0 };
  for (const { tenantId, connectionId, file, record } of recorded) {
    const body = Buffer.from(shifted(JSON.stringify(record.body), shift));
    const delivery = {
      id: record.delivery ?? String(record.body?.id ?? path.basename(file)),
      event: record.event,
    };
    try {
      const headers = await service.signDelivery(
        tenantId,
        connectionId,
        delivery,
        body,
      );
      const res = await fetch(
        `${options.baseUrl}/webhooks/${tenantId}/${connectionId}`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body,
        },
      );
      if (res.status === 409) outcome.replays++;
      else if (res.ok) {
        const answer = (await res.json()) as { status?: string };
        if (answer.status === 'stored') outcome.delivered++;
        else outcome.ignored++;
      } else {
        outcome.failed++;
        logger.warn(
          `recorded delivery ${path.relative(dir, file)} was answered ${
            res.status
          }: ${await res.text()}`,
        );
      }
    } catch (error) {
      outcome.failed++;
      logger.warn(
        `recorded delivery ${path.relative(dir, file)} failed: ${
          (error as Error).message
        }`,
      );
    }
  }
  return outcome;
}
