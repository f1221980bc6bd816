import type restify from 'restify';
import { reportHtml, reportMarkdown } from '../copilot/report';
import { loadReport, reportLinkKey, verifyReportLink, type ReportFormat } from '../findings';
import type { ReportsConfig } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store/port';

export const reportDownloadPath = '/api/reports/:file';

/**
 * GET /api/reports/<id>.(md|html)?exp=<unix>&sig=<hex>: a stored report as a file, for the report card's
 * download buttons. The signature (HMAC-SHA256 over "<id>.<format>.<exp>", constant-time) and its expiry are
 * checked before the store is read: 403 for a bad or expired link, 404 for a report that is not (or no longer)
 * stored. Always an attachment, never sniffed, never cached.
 */
export function reportDownloadHandler(dependencies: {
  store: Store;
  settings: ReportsConfig;
  clock: () => Date;
  logger: Logger;
}): (request: restify.Request, response: restify.Response) => Promise<void> {
  return async (request, response) => {
    response.header('cache-control', 'no-store');
    response.header('x-content-type-options', 'nosniff');
    const file = String((request.params as { file?: unknown } | undefined)?.file ?? '');
    const match = /^([0-9a-f]{32})\.(md|html)$/.exec(file);
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    if (!match) {
      response.send(404, { error: 'not_found' });
      return;
    }
    const id = match[1];
    const format = match[2] as ReportFormat;
    const now = dependencies.clock();
    const valid = verifyReportLink(
      reportLinkKey(dependencies.settings),
      { id, format, exp: query.get('exp') ?? undefined, sig: query.get('sig') ?? undefined },
      now,
    );
    if (!valid) {
      dependencies.logger.info({ reportId: id, format }, 'report download refused: bad or expired link');
      response.send(403, { error: 'forbidden', message: 'This download link is invalid or has expired.' });
      return;
    }
    const stored = await loadReport(dependencies.store, id, now);
    if (!stored) {
      response.send(404, { error: 'not_found', message: 'This report is no longer available.' });
      return;
    }
    const incident = (stored.report.subject.incidentId ?? 'report').replace(/[^\w-]/g, '_').slice(0, 64);
    const name = `incident-${incident}-${stored.report.result.audience}-tlp-${stored.report.result.tlp.toLowerCase().replace('+', '-')}.${format}`;
    const body = format === 'md' ? reportMarkdown(stored.report) : reportHtml(stored.report);
    response.writeHead(200, {
      'content-type': format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'content-length': Buffer.byteLength(body, 'utf8'),
    });
    response.end(body);
  };
}
