import { triageCard } from '../../cards/triage-card';
import { defaultTop, triageQueue } from '../../copilot/triage';
import type { Severity } from '../../sources/model';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler } from './types';

/** "triage", "triage high", "triage top 5", "what should I look at first?": the ranked open queue. */
export const triageTheQueue: MessageHandler = async (turn) => {
  const { services } = turn;
  const severity = turn.groups.severity?.toLowerCase() as Severity | undefined;
  const top = turn.groups.top === undefined ? defaultTop : Number.parseInt(turn.groups.top, 10);
  await replyWithWork(turn, {
    name: 'triage',
    slow: services.llm !== undefined,
    working: {
      activity: 'Ranking the open alerts…',
      subject: severity ? `${severity} severity and above` : 'all open alerts',
    },
    build: async () =>
      triageCard(
        await triageQueue(
          { top, minimumSeverity: severity },
          {
            attack: services.attack,
            dataSource: services.dataSource,
            llm: services.llm,
            logger: turn.logger,
            clock: services.clock,
          },
        ),
        { dataSourceName: services.dataSource.name },
      ),
  });
};
