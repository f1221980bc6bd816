import type { AuditRecord } from '../audit';
import type { AdaptiveCard } from './card-kit';
import { LIMITS, adaptiveCard, factSet, heading, label, subtleNote, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

/** "audit": the caller's own recent requests, newest first — what, when, how it ended, which engine. */
export function auditCard(records: readonly AuditRecord[]): AdaptiveCard {
  const body =
    records.length === 0
      ? [
          heading(label('Your recent activity')),
          textBlock(text('I have no record of requests from you yet.', LIMITS.note)),
        ]
      : [
          heading(label('Your recent activity')),
          factSet(
            records.map((record) => ({
              title: text(`${record.at.slice(0, 16).replace('T', ' ')} UTC`, LIMITS.label),
              value: text(describe(record), LIMITS.factValue),
            })),
          ),
        ];
  body.push(
    subtleNote(
      text(
        `Your last ${records.length === 0 ? '' : `${records.length} `}requests from the audit trail. Administrators export it with "soc-copilot audit export".`,
        LIMITS.note,
      ),
    ),
  );
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}

function describe(record: AuditRecord): string {
  const subject = Object.entries(record.inputs)
    .filter(([name]) => name === 'alertId' || name === 'incidentId')
    .map(([name, value]) => `${name === 'alertId' ? 'alert' : 'incident'} ${String(value)}`)
    .join(', ');
  const engine =
    record.engine === undefined
      ? ''
      : record.engine.kind === 'llm'
        ? ` · ${record.engine.model ?? 'LLM'}`
        : ' · offline';
  const outcome = record.outcome === 'ok' ? 'ok' : `failed (${record.errorCode ?? 'error'})`;
  return `${record.capability}${subject ? ` (${subject})` : ''} · ${outcome}${engine} · ${record.durationMs} ms`;
}
