import { conceptCard } from '../../cards/concept-card';
import { askConcept, comparedSubjects, subjectOf } from '../../copilot/ask';
import { extractIntel } from '../../copilot/intel';
import { analyzeIntel } from './intel';
import { help, unknownInput } from './help';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler } from './types';

// Subjects that are another capability's input ("explain alert 42", "what is the incident"), never a concept.
const otherSubjects = /^(?:alerts?|incidents?|kql|query|this|that|it|the\s+(?:alert|incident))\b/i;
const aboutTheBot = /^(?:you|your\b|yourself|this\s+bot|soc\s+copilot)/i;

/**
 * "what is a golden ticket", "how does kerberoasting work", "difference between pass-the-hash and
 * pass-the-ticket": the concept card, grounded in ATT&CK when it can be. Questions about indicators go to
 * the threat-intel analysis, questions about the bot to the help card, and other capabilities' subjects to
 * the "here is what I can do" card.
 */
export const askQuestion: MessageHandler = async (turn) => {
  const question = turn.text;
  const subjects = comparedSubjects(question) ?? [subjectOf(question)];
  if (subjects.every((subject) => subject === '' || otherSubjects.test(subject))) {
    await unknownInput(turn);
    return;
  }
  if (aboutTheBot.test(subjects[0])) {
    await help(turn);
    return;
  }
  if (subjects.length === 1 && extractIntel(subjects[0]).indicators.length > 0) {
    await analyzeIntel({ ...turn, groups: { text: subjects[0] } });
    return;
  }
  await replyWithWork(turn, {
    name: 'ask a concept question',
    slow: turn.services.llm !== undefined,
    working: { activity: 'Looking that up…', subject: subjects.join(' vs ') },
    build: async () =>
      conceptCard(
        await askConcept(
          { question },
          {
            knowledge: turn.services.attackKnowledge,
            llm: turn.services.llm,
            logger: turn.logger,
            clock: turn.services.clock,
          },
        ),
      ),
  });
};
