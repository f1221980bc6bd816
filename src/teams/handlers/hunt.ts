import { huntingQueryCard } from '../../cards';
import { generateHuntingQuery, naturalLanguageToKql } from '../../copilot/hunt';
import { huntDependenciesFor } from '../../copilot/hunt/defaults';
import type { HuntPlatform } from '../../kql/templates';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

function huntDependencies(turn: Pick<MessageTurn, 'services' | 'logger'>) {
  return huntDependenciesFor({
    ...turn.services,
    logger: turn.logger,
    kqlSchemaPath: turn.services.config.kqlSchemaPath,
  });
}

/** "… in defender" picks Defender advanced hunting; anything else is Microsoft Sentinel. */
export function platformOf(text: string | undefined): HuntPlatform {
  return /\bdefender\b|\badvanced hunting\b|\bmde\b/i.test(text ?? '') ? 'defender' : 'sentinel';
}

/** "hunt for encoded PowerShell [in defender]": a validated hunting query with what it finds and how to tune it. */
export const huntForThreat: MessageHandler = async (turn) => {
  const threat = (turn.groups.threat ?? '').trim();
  const platform = platformOf(turn.groups.platform);
  await replyWithWork(turn, {
    name: 'hunting query',
    slow: turn.services.llm !== undefined,
    working: { activity: 'Writing and validating a hunting query…', subject: threat },
    build: async () => huntingQueryCard(await generateHuntingQuery({ threat, platform }, huntDependencies(turn))),
  });
};

/** "kql failed sign-ins from new countries last 24h": the question as a validated, time-bounded query. */
export const questionToKql: MessageHandler = async (turn) => {
  const question = (turn.groups.question ?? '').trim();
  const platform = platformOf(turn.groups.platform);
  await replyWithWork(turn, {
    name: 'natural language to KQL',
    slow: turn.services.llm !== undefined,
    working: { activity: 'Writing and validating KQL…', subject: question },
    build: async () => huntingQueryCard(await naturalLanguageToKql({ question, platform }, huntDependencies(turn))),
  });
};
