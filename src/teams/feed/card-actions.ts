import { ActivityTypes, TurnContext, type ConversationReference } from 'botbuilder';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '../../cards/card-kit';
import { VERBS, FeedAlertActionDataSchema, type FeedAlertActionData } from '../../cards/verbs';
import { incidentFromAlerts } from '../../copilot/context';
import { CopilotError, toCopilotError } from '../../errors';
import type { AlertFeed } from '../../feed/alert-feed';
import { feedAlertCard } from '../../feed/card';
import type { Analyst, CloseClassification, FeedAlertRecord, FeedWork, FeedWorkKind } from '../../feed/model';
import type { Alert } from '../../sources/model';
import type { AlertUpdate } from '../../sources/port';
import type { Services } from '../../services';
import type { BackgroundWork } from '../background';
import { buttonData } from '../handlers/button-data';
import { explainAndReply } from '../handlers/explain-alert';
import { analyzeAndReply } from '../handlers/analyze-alert';
import { huntThreatAction } from '../handlers/intel';
import { investigateAndReply } from '../handlers/investigate';
import { reportAndReply } from '../handlers/report';
import type { MessageTurn } from '../handlers/types';
import { readTurnInfo } from '../turn-info';

/** What the feed's card actions need from the bot (src/teams/bot.ts passes them). */
export interface FeedActionDependencies {
  services: Services;
  feed: AlertFeed;
  adapter: TeamsAdapter;
  botAppId: string;
  background: BackgroundWork;
  correlationOf(context: TurnContext): string;
  setCorrelation(context: TurnContext, correlationId: string): void;
  messageTurnFor(context: TurnContext, text: string): MessageTurn;
  reportFailure(context: TurnContext, error: unknown): Promise<void>;
  /** The bot's role check for the verb (throws `forbidden`); the card may show a button, this is the control. */
  authorize(context: TurnContext, verb: string, data: unknown): void;
  /** The LLM rate limit for the verb: the answer for the clicking analyst when refused, else undefined. */
  slowDown(context: TurnContext, verb: string): string | undefined;
  /** The bot's audit record for the click. */
  startAudit(
    context: TurnContext,
    verb: string,
    data: unknown,
  ): { fail(error: unknown): void; finish(): Promise<void> };
}

const workVerbs: Record<string, FeedWorkKind> = {
  [VERBS.explainAlert]: 'explain',
  [VERBS.investigateAlert]: 'investigate',
  [VERBS.analyzeAlert]: 'analyze',
  [VERBS.huntAlert]: 'hunt',
  [VERBS.reportIncident]: 'report',
};
const triageVerbs = new Set<string>([VERBS.acknowledgeAlert, VERBS.assignAlertToMe, VERBS.closeAlert]);

const workLabels: Record<FeedWorkKind, { running: string; done: string }> = {
  explain: { running: 'is explaining it', done: 'The explanation is' },
  investigate: { running: 'is investigating it', done: 'The investigation is' },
  analyze: { running: 'is analyzing it', done: 'The analysis is' },
  hunt: { running: 'is writing the hunting query', done: 'The hunting query is' },
  report: { running: 'is writing the report', done: 'The report is' },
};

type InvokeBody =
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: AdaptiveCard };

const message = (value: string): InvokeBody => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value,
});

/**
 * Buttons on the feed's alert cards (`origin: "feed"` in their data). Registered before the general verb
 * routes, so the same verbs on other cards keep their behaviour. Every click answers at once — with the
 * refreshed card, which the clicking analyst sees immediately — and the work runs after the invoke in the
 * alert's thread; the store claim makes two simultaneous clicks run it once, and the outbox updates the
 * card in every channel that shows it.
 */
export function registerFeedCardActions(app: Application<TurnState>, dependencies: FeedActionDependencies): void {
  const feedVerbs = new Set([...Object.keys(workVerbs), ...triageVerbs]);
  app.addRoute(
    async (context) => {
      const activity = context.activity;
      if (activity.type !== ActivityTypes.Invoke || activity.name !== 'adaptiveCard/action') return false;
      const action = (activity.value as { action?: { verb?: unknown; data?: { origin?: unknown } } } | undefined)
        ?.action;
      return typeof action?.verb === 'string' && feedVerbs.has(action.verb) && action.data?.origin === 'feed';
    },
    async (context) => {
      const action = (context.activity.value as { action: { verb: string; data: unknown } }).action;
      let body: InvokeBody;
      const audit = dependencies.startAudit(context, action.verb, action.data);
      try {
        dependencies.authorize(context, action.verb, action.data);
        body = await handleFeedAction(dependencies, context, action.verb, action.data);
      } catch (error) {
        audit.fail(error);
        await dependencies.reportFailure(context, error);
        body = message(toCopilotError(error).userMessage);
      } finally {
        await audit.finish();
      }
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
    },
    true,
  );
}

async function handleFeedAction(
  dependencies: FeedActionDependencies,
  context: TurnContext,
  verb: string,
  rawData: unknown,
): Promise<InvokeBody> {
  const data = buttonData(
    FeedAlertActionDataSchema,
    rawData,
    `${verb} feed action without a valid alertId`,
    'This button did not say which alert it is about.',
  );
  const { feed } = dependencies;
  const item = await feed.record(data.alertId);
  if (!item) {
    return message(
      `I no longer have alert "${data.alertId.slice(0, 80)}" in the alert feed, so this card cannot change. ` +
        `Type "explain alert ${data.alertId.slice(0, 80)}" to look it up in the ${dependencies.services.dataSource.name} source.`,
    );
  }
  const info = readTurnInfo(context);
  const analyst: Analyst = {
    name: info.user.name ?? 'An analyst',
    id: info.user.id,
    aadObjectId: info.user.aadObjectId,
  };
  if (triageVerbs.has(verb)) return triage(dependencies, context, verb, data, analyst);

  const kind = workVerbs[verb];
  // Refused before the claim, so the work stays free for the next click.
  const refused = dependencies.slowDown(context, verb);
  if (refused !== undefined) return message(refused);
  const claim = await feed.claimWork(data.alertId, kind, analyst);
  if (!claim.claimed || !claim.record) return message(alreadyMessage(kind, claim.existing));
  const record = claim.record;
  await feed.refreshCards(record);
  runInThread(dependencies, context, `feed ${kind} ${record.alert.id}`, async (laterContext) => {
    let state: 'done' | 'failed' = 'done';
    try {
      await doWork(kind, record.alert, dependencies.messageTurnFor(laterContext, ''), dependencies.services);
    } catch (error) {
      state = 'failed';
      await dependencies.reportFailure(laterContext, error);
    }
    const finished = await feed.finishWork(record.alert.id, kind, state);
    if (finished) await feed.refreshCards(finished);
  });
  return cardBody(dependencies, record);
}

function alreadyMessage(kind: FeedWorkKind, existing: FeedWork | undefined): string {
  if (!existing) return 'That alert is no longer in the feed.';
  const who = existing.by.name || 'Another analyst';
  return existing.state === 'running'
    ? `${who} ${workLabels[kind].running} already; the answer will be posted in this thread.`
    : `${workLabels[kind].done} already posted in this thread (requested by ${who}).`;
}

async function doWork(kind: FeedWorkKind, alert: Alert, turn: MessageTurn, services: Services): Promise<void> {
  // The work runs after the invoke was answered: no second "working…" card, the answer is posted when ready.
  const workTurn = { ...turn, later: undefined };
  switch (kind) {
    case 'explain':
      await explainAndReply(alert, workTurn);
      return;
    case 'analyze':
      await analyzeAndReply(alert, workTurn);
      return;
    case 'hunt':
      // The alert (and its incident) is the hunt's subject: the query is filed as their finding.
      await huntThreatAction(workTurn, { threat: huntSubject(alert), alertId: alert.id, incidentId: alert.incidentId });
      return;
    case 'investigate':
      if (alert.incidentId !== undefined && (await services.dataSource.getIncident(alert.incidentId)) !== undefined) {
        await investigateAndReply(workTurn, alert.incidentId);
      } else {
        await investigateAndReply(workTurn, {
          incident: incidentFromAlerts([alert], { id: alert.incidentId }),
          alerts: [alert],
        });
      }
      return;
    case 'report':
      if (alert.incidentId === undefined) {
        throw new CopilotError('not_found', `alert ${alert.id} has no incident to report on`, {
          userMessage: 'This alert belongs to no incident yet, so there is nothing to report on. Try Investigate.',
        });
      }
      await reportAndReply(workTurn, { incidentId: alert.incidentId, audience: 'technical' });
      return;
  }
}

/** What to hunt for: the alert's first ATT&CK technique when it names one, else its title. */
function huntSubject(alert: Alert): string {
  const technique = alert.techniques[0];
  return (technique ?? alert.title).slice(0, 300) || 'suspicious activity';
}

async function triage(
  dependencies: FeedActionDependencies,
  context: TurnContext,
  verb: string,
  data: FeedAlertActionData,
  analyst: Analyst,
): Promise<InvokeBody> {
  const { feed, services } = dependencies;
  const action =
    verb === VERBS.closeAlert
      ? { kind: 'close' as const, classification: (data.classification ?? 'truePositive') as CloseClassification }
      : verb === VERBS.assignAlertToMe
        ? { kind: 'assign' as const }
        : { kind: 'acknowledge' as const };
  const result = await feed.triage(data.alertId, action, analyst);
  if (!result) return message('That alert is no longer in the feed.');
  const { record, changed } = result;
  if (!changed) {
    const done =
      record.triage.closed ?? (action.kind === 'acknowledge' ? record.triage.acknowledged : record.triage.assigned);
    const what = record.triage.closed ? 'closed' : action.kind === 'acknowledge' ? 'acknowledged' : 'assigned to you';
    return message(`This alert was already ${what}${done ? ` by ${done.by.name}` : ''}.`);
  }
  // The audit line: who did what to which alert, by AAD object id, never the bot.
  services.logger.info(
    {
      audit: 'alert-triage',
      alertId: record.alert.id,
      action: action.kind,
      classification: action.kind === 'close' ? action.classification : undefined,
      analystName: analyst.name,
      analystAadObjectId: analyst.aadObjectId,
      correlationId: dependencies.correlationOf(context),
    },
    'alert feed: triage by analyst',
  );
  await feed.refreshCards(record);
  if (services.dataSource.updateAlert) {
    runInThread(dependencies, context, `feed write-back ${record.alert.id}`, async (laterContext) => {
      try {
        await writeBack(services, record, action, analyst);
      } catch (error) {
        await dependencies.reportFailure(laterContext, error);
      }
    });
  }
  return cardBody(dependencies, record);
}

/** The source's own record changes too, attributed to the analyst in its comment trail. */
async function writeBack(
  services: Services,
  record: FeedAlertRecord,
  action: { kind: 'acknowledge' | 'assign' } | { kind: 'close'; classification: CloseClassification },
  analyst: Analyst,
): Promise<void> {
  const source = services.dataSource;
  const update: AlertUpdate =
    action.kind === 'close'
      ? { status: 'resolved', classification: action.classification }
      : action.kind === 'assign'
        ? { status: 'inProgress', assignedTo: analyst.name.slice(0, 256) }
        : { status: 'inProgress' };
  const updated = await source.updateAlert?.(record.alert.id, update);
  if (updated === undefined) {
    services.logger.info(
      { alertId: record.alert.id, source: source.name },
      'alert feed: the source does not hold this alert; no write-back',
    );
    return;
  }
  const verb =
    action.kind === 'close'
      ? `Closed as ${action.classification}`
      : action.kind === 'assign'
        ? 'Assigned'
        : 'Acknowledged';
  const who = `${analyst.name}${analyst.aadObjectId ? ` (AAD object id ${analyst.aadObjectId})` : ''}`;
  await source.addAlertComment?.(record.alert.id, `${verb} in Microsoft Teams by ${who}.`);
}

function cardBody(dependencies: FeedActionDependencies, record: FeedAlertRecord): InvokeBody {
  const card = feedAlertCard(record, { techniqueName: (id) => dependencies.services.attack.technique(id)?.fullName });
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/** Work after the invoke, in a proactive turn on the invoke's conversation: the alert's thread in a channel. */
function runInThread(
  dependencies: FeedActionDependencies,
  context: TurnContext,
  name: string,
  work: (laterContext: TurnContext) => Promise<void>,
): void {
  const reference: Partial<ConversationReference> = TurnContext.getConversationReference(context.activity);
  const correlationId = dependencies.correlationOf(context);
  dependencies.background.run(name, () =>
    dependencies.adapter.continueConversationAsync(dependencies.botAppId, reference, async (laterContext) => {
      dependencies.setCorrelation(laterContext, correlationId);
      await work(laterContext);
    }),
  );
}
