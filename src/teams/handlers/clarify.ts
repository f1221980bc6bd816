import { clarifyCard, type ClarifyChoice } from '../../cards';
import type { FollowUp } from '../../copilot/memory/follow-up';
import type { RememberedIndicator } from '../../copilot/memory/thread-memory';
import { extractIocs } from '../../intel/iocs';
import type { MessageTurn } from './types';

type Clarify = Extract<FollowUp, { kind: 'clarify' }>;

const SUGGESTIONS = 3;

/**
 * "Investigate it" in a thread that has not talked about an incident yet: ask which one, with buttons for the
 * most recent ones from the data source (the analyst's likely meaning), instead of guessing.
 */
export async function clarifyFollowUp(turn: MessageTurn, followUp: Clarify): Promise<void> {
  const { dataSource } = turn.services;
  const verb = /\b(investigate|explain|analy[sz]e|report|remediat\w*|contain\w*|run|hunt)\b/i
    .exec(followUp.asked)?.[1]
    ?.toLowerCase();
  let question: string;
  let choices: ClarifyChoice[] = [];
  let hint: string | undefined;
  switch (followUp.need) {
    case 'incident': {
      question = 'Which incident? This conversation has not looked at one yet.';
      const incidents = await dataSource.listIncidents({ limit: SUGGESTIONS }).catch(() => []);
      const command =
        verb === 'report'
          ? (id: string) => `report incident ${id} for executives`
          : (id: string) => `investigate incident ${id}`;
      choices = incidents.map((incident) => ({
        title: `Incident ${incident.id} · ${incident.title}`,
        command: command(incident.id),
      }));
      hint = 'Or type the id, e.g. "investigate incident 42".';
      break;
    }
    case 'alert':
    case 'alertOrIncident': {
      question =
        followUp.need === 'alert'
          ? 'Which alert? This conversation has not looked at one yet.'
          : 'Which alert or incident? This conversation has not looked at one yet.';
      const alerts = await dataSource.listAlerts({ limit: SUGGESTIONS, status: 'new' }).catch(() => []);
      const command =
        verb === 'analyze' || verb === 'analyse'
          ? (id: string) => `analyze alert ${id}`
          : verb?.startsWith('remediat') || verb?.startsWith('contain')
            ? (id: string) => `remediation for alert ${id}`
            : (id: string) => `explain alert ${id}`;
      choices = alerts.map((alert) => ({ title: `${alert.severity} · ${alert.title}`, command: command(alert.id) }));
      hint = 'Or type the id, e.g. "explain alert <id>".';
      break;
    }
    case 'query':
      question = 'Which query? This conversation has no query to run yet.';
      choices = [
        { title: 'Hunt for encoded PowerShell', command: 'hunt for encoded PowerShell' },
        { title: 'Failed sign-ins from new countries', command: 'kql failed sign-ins from new countries last 24h' },
      ];
      hint = 'Or paste one: "run <KQL query>".';
      break;
    case 'indicator':
      question = 'Which indicator? I have no indicator of that kind from this conversation.';
      hint = 'Check some first ("check 203.0.113[.]7 evil[.]example"), then "hunt for the first IP".';
      break;
  }
  await turn.responder.sendCard(clarifyCard({ asked: followUp.asked, question, choices, hint }));
}

/** The network indicators and hashes in a message, in order, for "hunt for the second IP". */
export function indicatorsIn(text: string): RememberedIndicator[] {
  const report = extractIocs(text);
  const kept = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
  return kept
    .flatMap((type) =>
      report[type].map((ioc) => ({ type, value: ioc.value, at: ioc.occurrences[0]?.start ?? Number.MAX_SAFE_INTEGER })),
    )
    .sort((left, right) => left.at - right.at)
    .map(({ type, value }) => ({ type, value }));
}
