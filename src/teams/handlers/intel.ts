import { huntingQueryCard } from '../../cards';
import { intelCard } from '../../cards/intel-card';
import { HuntIndicatorDataSchema, HuntThreatDataSchema } from '../../cards/verbs';
import { generateHuntingQuery } from '../../copilot/hunt';
import { analyzeThreatIntel, extractIntel } from '../../copilot/intel';
import { CopilotError } from '../../errors';
import { normalizeIndicator, type Indicator } from '../../intel/enrichment';
import { looksLikePastedIndicators } from './check-indicators';
import { buttonData } from './button-data';
import { huntDependencies, platformOf, sweepForIndicator } from './hunt';
import { huntSubjectOf, recordHuntFinding } from './hunt-findings';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/**
 * "analyze 203.0.113[.]7 evil[.]example …", "intel <report text>", or indicators pasted with context: the
 * threat-intel analysis card (verdicts per indicator, ATT&CK, known actors, hunts, recommendations).
 */
export const analyzeIntel: MessageHandler = async (turn) => {
  const text = turn.groups.text ?? turn.text;
  const extracted = extractIntel(text);
  const attack = turn.services.attack;
  const hasTechniques =
    extracted.report.attackTechnique.length > 0 || attack.techniquesForText(text.slice(0, 50_000)).length > 0;
  if (extracted.indicators.length === 0 && !hasTechniques) {
    throw new CopilotError('bad_input', 'no indicators or techniques in the text', {
      userMessage:
        'I found no IP address, domain, URL or file hash to analyse, and no attack technique in the text. Defanged forms like 203.0.113[.]7 and hxxps://evil[.]example work.',
    });
  }
  const count = extracted.indicators.length;
  await replyWithWork(turn, {
    name: `analyze threat intel (${count} indicators)`,
    slow: turn.services.llm !== undefined || (count > 0 && turn.services.enrichment.providerNames.length > 0),
    working: {
      activity: 'Analysing threat intel…',
      subject: count === 0 ? 'the text' : `${count} indicator${count === 1 ? '' : 's'}`,
    },
    build: async () =>
      intelCard(
        await analyzeThreatIntel(
          { text },
          {
            attack,
            actors: turn.services.attackKnowledge,
            enrichment: turn.services.enrichment,
            llm: turn.services.llm,
            logger: turn.logger,
            clock: turn.services.clock,
          },
        ),
      ),
  });
};

/** The "Hunt for this" button on an indicator: a validated sweep query over every table that can hold it. */
export async function huntIndicatorAction(turn: MessageTurn, data: unknown): Promise<string> {
  const parsed = HuntIndicatorDataSchema.safeParse(data);
  const indicator = parsed.success
    ? normalizeIndicator({ type: parsed.data.indicatorType, value: parsed.data.indicator } as Indicator)
    : undefined;
  if (!parsed.success || indicator === undefined) {
    throw new CopilotError('bad_input', 'huntIndicator action without a valid indicator', {
      userMessage: 'This button did not say which indicator to hunt for.',
    });
  }
  await sweepForIndicator(turn, indicator, parsed.data.platform ?? 'sentinel');
  return 'Hunting query posted.';
}

/** A "Hunt: …" button: the hunting capability for a threat or technique. */
export async function huntThreatAction(turn: MessageTurn, data: unknown): Promise<string> {
  const button = buttonData(
    HuntThreatDataSchema,
    data,
    'huntThreat action without a valid threat',
    'This button did not say what to hunt for.',
  );
  const threat = button.threat.trim();
  const platform = button.platform ?? platformOf(threat);
  const subject = await huntSubjectOf(turn, { incidentId: button.incidentId, alertId: button.alertId });
  await replyWithWork(turn, {
    name: 'hunting query',
    slow: turn.services.llm !== undefined,
    working: { activity: 'Writing and validating a hunting query…', subject: threat },
    build: async () => {
      const result = await generateHuntingQuery({ threat, platform }, huntDependencies(turn));
      await recordHuntFinding(turn, subject, result, threat);
      return huntingQueryCard(result);
    },
  });
  return 'Hunting query posted.';
}

/**
 * True when an unrouted message should get the threat-intel analysis: mostly indicators (pasted from a
 * report or a ticket), or at least one indicator with some context around it.
 */
export function looksLikeIntel(text: string): boolean {
  if (looksLikePastedIndicators(text)) return true;
  return text.trim().length >= 20 && extractIntel(text).indicators.length > 0;
}
