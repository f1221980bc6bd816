import { reportCard } from '../../cards';
import { reportRestrictedCard, type ReportDownloads } from '../../cards/report-card';
import { reportDownloadUrl } from '../../cards/links';
import { reportIncident, type IncidentReport, type ReportAudience, type TlpMarking } from '../../copilot/report';
import type { CapabilityResult } from '../../copilot/result';
import { listFindings, reportLinkKey, reportLinkSignature, storeReport, type StoredFinding } from '../../findings';
import { recordResultFinding } from './findings';
import { investigateDependencies, isSlowWork } from './investigate';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/** "executives", "the board", "technical team", "the regulator" → the report's audience; technical by default. */
export function audienceFrom(said: string | undefined): ReportAudience {
  const word = (said ?? '').toLowerCase();
  if (/exec|leadership|management|board/.test(word)) return 'executive';
  if (/regulator|auditor/.test(word)) return 'regulator';
  return 'technical';
}

export function tlpFrom(said: string | undefined): TlpMarking | undefined {
  const word = (said ?? '').toUpperCase().replace(/\s+/g, '');
  const markings: TlpMarking[] = ['AMBER+STRICT', 'CLEAR', 'GREEN', 'AMBER', 'RED'];
  return markings.find((marking) => marking === word);
}

/** "report incident 42 for executives|technical|the regulator [tlp:red]". */
export const reportIncidentById: MessageHandler = async (turn) => {
  await reportAndReply(turn, {
    incidentId: (turn.groups.incidentId ?? '').trim(),
    audience: audienceFrom(turn.groups.audience),
    tlp: tlpFrom(turn.groups.tlp),
  });
};

type ReportTurn = Pick<MessageTurn, 'services' | 'responder' | 'logger' | 'later'> & Partial<Pick<MessageTurn, 'info'>>;

/**
 * Writes the report from the incident's stored findings (the investigation runs first only when none is stored).
 * TLP:RED is for the named recipients only: it is delivered in a 1:1 chat, never in a channel or a group chat,
 * where the bot answers with a short card instead. Other markings get signed download links when the bot has a
 * public base URL.
 */
export async function reportAndReply(
  turn: ReportTurn,
  request: { incidentId: string; audience: ReportAudience; tlp?: TlpMarking },
): Promise<void> {
  // Without turn information the chat kind is unknown: TLP:RED is refused rather than risked.
  if (request.tlp === 'RED' && turn.info?.conversationKind !== 'personal') {
    turn.logger.info({ incidentId: request.incidentId.slice(0, 128) }, 'TLP:RED report refused outside a 1:1 chat');
    await turn.responder.sendCard(reportRestrictedCard(request.incidentId, request.audience));
    return;
  }
  await replyWithWork(turn, {
    name: 'incident report',
    slow: isSlowWork(turn.services),
    working: {
      activity: `Writing the ${request.audience} report from the incident's findings…`,
      subject: `Incident ${request.incidentId.slice(0, 80)}`,
    },
    build: async () => {
      const findings = await incidentFindings(turn, request.incidentId);
      const outcome = await reportIncident(request.incidentId, investigateDependencies(turn), {
        audience: request.audience,
        tlp: request.tlp,
        findings,
      });
      if (!findings.some((finding) => finding.capability === 'investigateIncident')) {
        await recordResultFinding(turn, outcome.investigation, {
          summary: investigationSummary(outcome.investigation),
        });
      }
      await recordResultFinding(turn, outcome.report, {
        summary: `${request.audience} report, TLP:${outcome.report.result.tlp}: ${outcome.report.result.title}`,
      });
      return reportCard(outcome.report, { downloads: await downloadsFor(turn, outcome.report) });
    },
  });
}

async function incidentFindings(turn: ReportTurn, incidentId: string): Promise<StoredFinding[]> {
  try {
    return await listFindings(turn.services.store, { incidentId, limit: 50 });
  } catch (error) {
    turn.logger.warn(
      { incidentId: incidentId.slice(0, 128), code: (error as { code?: string }).code },
      'could not read findings',
    );
    return [];
  }
}

function investigationSummary(result: CapabilityResult<{ assessment?: { summary?: string } }>): string {
  return result.result.assessment?.summary ?? `Investigation of incident ${result.subject.incidentId ?? ''}`;
}

/** Stores the report and signs its links; none for TLP:RED, without a public base URL, or when storing fails. */
async function downloadsFor(
  turn: ReportTurn,
  report: CapabilityResult<IncidentReport>,
): Promise<ReportDownloads | undefined> {
  const settings = turn.services.config.reports;
  if (report.result.tlp === 'RED' || settings?.publicBaseUrl === undefined) return undefined;
  try {
    const { id, expiresAt } = await storeReport(turn.services.store, report, {
      now: turn.services.clock(),
      ttlMinutes: settings.linkTtlMinutes,
    });
    const exp = Math.floor(expiresAt.getTime() / 1000);
    const key = reportLinkKey(settings);
    const markdown = reportDownloadUrl(settings.publicBaseUrl, {
      id,
      format: 'md',
      exp,
      sig: reportLinkSignature(key, id, 'md', exp),
    });
    const html = reportDownloadUrl(settings.publicBaseUrl, {
      id,
      format: 'html',
      exp,
      sig: reportLinkSignature(key, id, 'html', exp),
    });
    return markdown && html ? { markdown, html } : undefined;
  } catch (error) {
    turn.logger.warn({ code: (error as { code?: string }).code }, 'could not store the report for download');
    return undefined;
  }
}
