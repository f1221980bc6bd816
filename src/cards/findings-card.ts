import type { StoredFinding } from '../findings/findings';
import type { AdaptiveCard, CardElement } from './card-kit';
import { LIMITS, adaptiveCard, container, heading, joinText, label, subtleNote, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

const capabilityLabels: Record<string, string> = {
  investigateIncident: 'Investigation',
  explainAlert: 'Explanation',
  analyzeAlert: 'Analysis',
  remediate: 'Response guidance',
  hunt: 'Hunting query',
  runHuntingQuery: 'Query run',
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
