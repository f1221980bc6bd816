import type { StoredFinding } from '../findings/findings';
import { HUNT_FINDING, QUERY_RUN_FINDING } from '../findings/hunts';
import type { AdaptiveCard, CardElement, TextBlock } from './card-kit';
import { LIMITS, adaptiveCard, container, heading, joinText, label, subtleNote, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

/** The query shown under a hunt finding; the stored finding keeps it whole (up to the query limit). */
const shownQueryLength = 800;

const capabilityLabels: Record<string, string> = {
  investigateIncident: 'Investigation',
  explainAlert: 'Explanation',
  analyzeAlert: 'Analysis',
  remediate: 'Response guidance',
  [HUNT_FINDING]: 'Hunting query',
  [QUERY_RUN_FINDING]: 'Query run',
  reportIncident: 'Report',
  triage: 'Triage action',
};

/** "show findings for incident 42": what the bot found about it, newest first, with who asked, when and how. */
export function findingsCard(
  subject: { kind: 'incident' | 'alert'; id: string },
  findings: readonly StoredFinding[],
): AdaptiveCard {
  const title = `Findings for ${subject.kind} ${subject.id}`;
  const body: CardElement[] = [heading(text(title, LIMITS.title), { size: 'medium' })];
  if (findings.length === 0) {
    body.push(
      textBlock(
        text(
          `Nothing is stored for this ${subject.kind} yet. Investigations, explanations, analyses, hunts and response guidance are kept as findings when they are run.`,
          LIMITS.note,
        ),
      ),
    );
  }
  findings.forEach((finding, index) => {
    const engine =
      finding.engine.kind === 'llm' ? `LLM ${finding.engine.model ?? finding.engine.provider ?? ''}`.trim() : 'offline';
    body.push(
      container(
        [
          textBlock(
            joinText(
              [
                label(capabilityLabels[finding.capability] ?? finding.capability.slice(0, 40)),
                label('·'),
                text(`${finding.at.slice(0, 16).replace('T', ' ')} UTC`, LIMITS.label),
              ],
              ' ',
            ),
            { weight: 'bolder', spacing: 'none' },
          ),
          textBlock(text(finding.summary, LIMITS.listItem), { spacing: 'none' }),
          ...queryOf(finding),
          subtleNote(
            text(
              `By ${finding.by.name ?? 'an unknown user'} · ${engine}${
                finding.alertIds.length > 0 ? ` · alerts ${finding.alertIds.slice(0, 5).join(', ')}` : ''
              }`,
              LIMITS.note,
            ),
            { spacing: 'none' },
          ),
        ],
        { separator: index > 0, spacing: 'medium' },
      ),
    );
  });
  body.push(
    subtleNote(
      text(
        `${findings.length} finding(s), newest first. Reports on an incident are written from its findings.`,
        LIMITS.note,
      ),
      { separator: true },
    ),
  );
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}

/** Hunts and query runs show their query (monospace, indicators defanged; the size guard cuts long ones). */
function queryOf(finding: StoredFinding): CardElement[] {
  if (finding.capability !== HUNT_FINDING && finding.capability !== QUERY_RUN_FINDING) return [];
  const query = (finding.result as { query?: unknown } | undefined)?.query;
  if (typeof query !== 'string' || query.trim() === '') return [];
  // card-kit has no fontType option; the property is valid Adaptive Cards 1.5 and keeps KQL columns aligned.
  const block: TextBlock & { fontType: 'monospace' } = Object.assign(
    textBlock(text(query, shownQueryLength), { size: 'small', spacing: 'small' }),
    { fontType: 'monospace' as const },
  );
  return [container([block], { style: 'emphasis', spacing: 'small' })];
}
