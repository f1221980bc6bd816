import type { Request, Response } from 'restify';
import { ActivityTypes, DeliveryModes, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import { Application, type TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { AlertActionDataSchema, RunCommandDataSchema, RunHuntQueryDataSchema, clarifyCard, errorCard } from '../cards';
import { CopilotError, toCopilotError, type ErrorCode } from '../errors';
import type { Services } from '../services';
import { explainAlertById, explainAlertJson, explainAndReply, findAlert } from './handlers/explain-alert';
import { checkIndicators } from './handlers/check-indicators';
import { analyzeIntel, huntIndicatorAction, huntThreatAction, looksLikeIntel } from './handlers/intel';
import { askQuestion } from './handlers/ask';
import { describeTechnique } from './handlers/describe-technique';
import { analyzeAlertById, analyzeAndReply } from './handlers/analyze-alert';
import { triageTheQueue } from './handlers/triage';
import { remediateAndReply, remediateSubject, remediateWithoutSubject } from './handlers/remediate';
import { findRemediationSubject } from '../copilot/remediate';
import { IncidentActionDataSchema, ReportActionDataSchema, VERBS } from '../cards/verbs';
import { huntForThreat, questionToKql, runQuery, runQueryAndReply, validatePastedQuery } from './handlers/hunt';
import { greeting, help, sendWelcome, unknownInput } from './handlers/help';
import type { LaterRunner, MessageHandler, MessageTurn } from './handlers/types';
import { BackgroundWork } from './background';
import { cardActivity, turnResponder } from './responder';
import { matchMessageRoute, type CardVerb, type MessageIntent } from './routes';
import { StoreBackedStorage } from './storage';
import { normalizeMessageText, readTurnInfo } from './turn-info';
import { claimWelcome, forgetConversation, rememberConversation } from './conversations';
import { ThreadMemory, type ThreadSubject, type ThreadSubjectPatch } from '../copilot/memory/thread-memory';
import { isFollowUp, resolveFollowUp } from '../copilot/memory/follow-up';
import { hasRole, missingRoleMessage, placeAllowed } from '../security/access';
import { requiredRoleForMessage, requiredRoleForVerb, type RoleRequirement } from './permissions';
import { classifyIntent } from '../copilot/intent';
import { clarifyFollowUp, indicatorsIn } from './handlers/clarify';
import { listAlerts, listIncidents } from './handlers/browse';
import { subscribeAlertFeed, subscribeOnInstall, unsubscribeAlertFeed } from './feed/channel-commands';
import { registerFeedCardActions } from './feed/card-actions';
import { AlertFeed } from '../feed/alert-feed';
import { channelConversationId } from '../feed/model';
import {
  investigateAlertIncident,
  investigateAndReply,
  investigateIncidentById,
  investigateIncidentJson,
} from './handlers/investigate';
import { reportAndReply, reportIncidentById } from './handlers/report';
import { showFindings } from './handlers/findings';
import { AuditScope, AuditTrail } from '../audit';
import { MeteredAuditScope } from '../metrics';
import { showMyAudit } from './handlers/audit';
import { TurnRateLimiter, runWithLlmScope, type LlmUsageScope } from '../llm/limits';
import { slowDown, slowDownAnswer } from './handlers/slow-down';
import { buttonData } from './handlers/button-data';

const correlationKey = Symbol('correlationId');
const auditKey = Symbol('audit');
const threadSubjectKey = Symbol('threadSubject');

/** Intents whose text is a list of indicators the thread should remember ("hunt for the second IP"). */
const indicatorIntents = new Set<string>(['checkIndicators', 'analyzeIntel']);

/** Intents whose handler calls the LLM when one is configured: the per-user and per-conversation rate limits apply. */
const llmIntents = new Set<string>([
  'explainAlertById',
  'explainAlertJson',
  'analyzeIntel',
  'askQuestion',
  'huntForThreat',
  'questionToKql',
  'analyzeAlertById',
  'triageQueue',
  'remediateSubject',
  'investigateIncidentById',
  'investigateIncidentJson',
  'reportIncident',
]);

/** Buttons whose work calls the LLM when one is configured: the same rate limits as typed requests. */
const llmVerbs = new Set<string>([
  VERBS.explainAlert,
  VERBS.analyzeAlert,
  VERBS.remediateAlert,
  VERBS.remediateIncident,
  VERBS.huntIndicator,
  VERBS.huntThreat,
  VERBS.huntAlert,
  VERBS.investigateAlert,
  VERBS.investigateIncident,
  VERBS.reportIncident,
]);

/** Titles for the errors an analyst can fix; everything else is "Something went wrong". */
const errorTitles: Partial<Record<ErrorCode, string>> = {
  forbidden: 'Not allowed',
  not_found: 'Not found',
  bad_input: 'I could not use that input',
  unsupported_format: 'Unsupported format',
};

const messageHandlers: Record<MessageIntent, MessageHandler> = {
  help,
  greeting,
  explainAlertById,
  explainAlertJson,
  describeTechnique,
  checkIndicators,
  analyzeIntel,
  askQuestion,
  huntForThreat,
  questionToKql,
  validateQuery: validatePastedQuery,
  listIncidents,
  listAlerts,
  runQuery,
  analyzeAlertById,
  triageQueue: triageTheQueue,
  remediateSubject,
  remediateWithoutSubject,
  investigateIncidentById,
  investigateIncidentJson,
  reportIncident: reportIncidentById,
  showFindings,
  subscribeAlertFeed,
  unsubscribeAlertFeed,
  showMyAudit,
};

export interface TeamsBot {
  app: Application<TurnState>;
  /** Hands one HTTP request to the Bot Framework adapter and runs the turn. */
  process(request: Request, response: Response, correlationId: string): Promise<void>;
  /** Waits for work that continues after acknowledged turns (for graceful shutdown). */
  drain(timeoutMs: number): Promise<void>;
}

export function createTeamsBot(
  services: Services,
  adapter: TeamsAdapter,
  feed: AlertFeed = new AlertFeed(services.store, services.clock, services.logger),
): TeamsBot {
  const { logger } = services;
  const app = new Application<TurnState>({
    adapter,
    botAppId: services.config.bot?.appId,
    storage: new StoreBackedStorage(services.store),
    // The typing timer lives on the Application singleton and misbehaves in channels; we send typing ourselves.
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });

  const botAppId = services.config.bot?.appId ?? '';
  const memory = new ThreadMemory(services.store, services.clock);
  const background = new BackgroundWork(logger);
  const correlationOf = (context: TurnContext): string => context.turnState.get(correlationKey) ?? 'none';
  const auditTrail = new AuditTrail(services.store, services.clock, services.config.audit.prices, services.auditSink);
  const auditOf = (context: TurnContext): AuditScope | undefined => context.turnState.get(auditKey);
  const llmRate = new TurnRateLimiter(services.config.llmLimits, () => services.clock().getTime());

  /** The thread's subject, read from the store at most once per turn (until the turn updates it). */
  function recallThread(context: TurnContext): Promise<ThreadSubject | undefined> {
    let recalled: Promise<ThreadSubject | undefined> | undefined = context.turnState.get(threadSubjectKey);
    if (recalled === undefined) {
      recalled = memory.recall(context.activity.conversation?.id);
      context.turnState.set(threadSubjectKey, recalled);
    }
    return recalled;
  }

  /** Takes one LLM-backed request from the caller's and the conversation's rate limits. */
  function takeLlmTurn(context: TurnContext) {
    const info = readTurnInfo(context);
    return llmRate.tryTake(info.user.aadObjectId ?? info.user.id, info.conversationId);
  }

  /** The rate limit on LLM-backed work, checked once per request; true when the turn got the "slow down" card. */
  async function slowedDown(context: TurnContext, text: string): Promise<boolean> {
    if (services.llm === undefined) return false;
    const decision = takeLlmTurn(context);
    if (decision.allowed) return false;
    await slowDown(messageTurnFor(context, text), decision);
    return true;
  }

  /**
   * The rate limit for a button that starts LLM-backed work: undefined when it may go, else the answer for the
   * analyst who clicked (in the invoke response, not as a card in the conversation).
   */
  function buttonSlowDown(context: TurnContext, verb: string): string | undefined {
    if (services.llm === undefined || !llmVerbs.has(verb)) return undefined;
    const decision = takeLlmTurn(context);
    return decision.allowed ? undefined : slowDownAnswer(messageTurnFor(context, ''), decision);
  }

  /** LLM calls of a turn (and of the work it leaves running) are charged to its team, else its conversation. */
  function llmScopeFor(context: TurnContext): LlmUsageScope {
    const info = readTurnInfo(context);
    return { budgetKey: info.teamId ?? info.conversationId, notices: [] };
  }

  async function sendLlmNotices(context: TurnContext, scope: LlmUsageScope): Promise<void> {
    for (const notice of scope.notices.splice(0)) {
      try {
        await context.sendActivity(notice);
      } catch (error) {
        logger.warn(
          { correlationId: correlationOf(context), code: toCopilotError(error).code },
          'could not send a notice',
        );
      }
    }
  }
  // With metrics, the audit scope also counts the turn (capability, outcome) and its latency when it closes.
  const newAuditScope = (...args: ConstructorParameters<typeof AuditScope>): AuditScope =>
    services.metrics ? new MeteredAuditScope(services.metrics, ...args) : new AuditScope(...args);

  /** Opens the turn's one audit record (a message or a card action); `finish` writes it. */
  function startAudit(context: TurnContext, kind: 'message' | 'invoke', capability: string): AuditScope {
    const info = readTurnInfo(context);
    const scope = newAuditScope(
      auditTrail,
      {
        kind,
        capability,
        actor: {
          aadObjectId: info.user.aadObjectId,
          name: info.user.name,
          userId: info.user.id,
          tenantId: info.tenantId,
        },
        where: {
          conversationKind: info.conversationKind,
          conversationId: info.conversationId,
          teamId: info.teamId,
          channelId: info.channelId,
        },
        correlationId: correlationOf(context),
      },
      services.clock,
      (error) =>
        logger.warn(
          { correlationId: correlationOf(context), code: toCopilotError(error).code },
          'could not write the audit record',
        ),
    );
    context.turnState.set(auditKey, scope);
    return scope;
  }

  /** The one place a failure becomes an error card and a structured log line. */
  function failureCard(context: TurnContext, error: unknown) {
    const failure = toCopilotError(error);
    const correlationId = correlationOf(context);
    const logFields = { correlationId, code: failure.code, activityType: context.activity.type };
    if (failure.code === 'internal') logger.error({ ...logFields, err: error }, 'turn failed');
    else logger.warn({ ...logFields, reason: failure.message }, 'turn ended with an error card');
    return errorCard({
      title: errorTitles[failure.code],
      userMessage: failure.userMessage,
      correlationId,
      retryable: failure.retryable,
    });
  }

  async function reportFailure(context: TurnContext, error: unknown, replaceActivityId?: string): Promise<void> {
    const card = failureCard(context, error);
    try {
      if (replaceActivityId) await context.updateActivity({ ...cardActivity(card), id: replaceActivityId });
      else await context.sendActivity(cardActivity(card));
    } catch (sendError) {
      logger.error({ correlationId: correlationOf(context), err: sendError }, 'could not deliver the error card');
    }
  }

  /** Runs work after the turn's acknowledgement, in a proactive turn on the same conversation (thread). */
  function laterRunnerFor(context: TurnContext): LaterRunner | undefined {
    if (context.activity.deliveryMode === DeliveryModes.ExpectReplies) return undefined;
    const reference = TurnContext.getConversationReference(context.activity);
    const correlationId = correlationOf(context);
    const info = readTurnInfo(context);
    return (name, work, options) => {
      background.run(name, () =>
        adapter.continueConversationAsync(botAppId, reference, async (laterContext) => {
          laterContext.turnState.set(correlationKey, correlationId);
          try {
            await work(turnResponder(laterContext, info));
          } catch (error) {
            await reportFailure(laterContext, error, options.replaceActivityId);
          }
        }),
      );
    };
  }

  app.turn('beforeTurn', async (context) => {
    // The allow-list runs before anything else: a refused turn stores nothing and reaches no handler.
    const info = readTurnInfo(context);
    const place = placeAllowed(services.config.access, info);
    if (!place.allowed) {
      logger.warn(
        {
          correlationId: correlationOf(context),
          reason: place.reason,
          tenantId: info.tenantId,
          teamId: info.teamId,
          channelId: info.channelId,
          userAadObjectId: info.user.aadObjectId,
          activityType: context.activity.type,
        },
        'refused a turn from outside the allow-list',
      );
      if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(
          'Sorry, this SOC Copilot serves only the teams it was set up for, so I cannot help here. Ask your administrator if you think this is a mistake.',
        );
      }
      return false;
    }
    await rememberConversation(services.store, context, services.clock);
    return true;
  });

  /** Server-side role check for sensitive actions; the card may hide a button, but this is the control. */
  function authorize(context: TurnContext, requirement: RoleRequirement | undefined): void {
    if (requirement === undefined) return;
    const user = context.activity.from?.aadObjectId;
    if (hasRole(services.config.access, user, requirement.role)) return;
    logger.warn(
      {
        correlationId: correlationOf(context),
        role: requirement.role,
        action: requirement.action,
        userAadObjectId: user,
      },
      'refused an action: missing role',
    );
    throw new CopilotError('forbidden', `missing role ${requirement.role} for ${requirement.action}`, {
      userMessage: missingRoleMessage(services.config.access, requirement.role, requirement.action),
    });
  }

  app.conversationUpdate('membersAdded', async (context) => {
    const botWasAdded = (context.activity.membersAdded ?? []).some(
      (member) => member.id === context.activity.recipient?.id,
    );
    // Clients re-send install events (the Playground on every page load); welcome a conversation once.
    if (botWasAdded && (await claimWelcome(services.store, context.activity.conversation?.id, services.clock)))
      await sendWelcome(services.config.botName, turnResponder(context, readTurnInfo(context)));
    if (botWasAdded) await subscribeChannelOnInstall(context);
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    // Added: the reference was stored in beforeTurn and the welcome comes with membersAdded.
    if (context.activity.action === 'remove')
      await forgetConversation(services.store, context.activity.conversation?.id);
    if (context.activity.action === 'add') await subscribeChannelOnInstall(context);
    if (context.activity.action === 'remove' && context.activity.conversation?.id)
      await feed.subscriptions.unsubscribe(channelConversationId(context.activity.conversation.id));
  });

  /**
   * Installed in a team: its channel gets the alert feed at the default threshold, confirmed once — in a line of
   * text, since the welcome card goes out in the same turn.
   */
  async function subscribeChannelOnInstall(context: TurnContext): Promise<void> {
    const severity = services.config.alertFeed.defaultSeverity;
    if (await subscribeOnInstall(services.store, context, severity, services.clock())) {
      await context.sendActivity(
        `Alert feed on: new alerts of ${severity} severity and above will be posted in this channel. ` +
          'Say "send alerts here high and above" to change that, or "stop alerts here".',
      );
    }
  }

  function messageTurnFor(context: TurnContext, text: string, groups: MessageTurn['groups'] = {}): MessageTurn {
    const info = readTurnInfo(context);
    const correlationId = correlationOf(context);
    const turnLogger = logger.child({ correlationId });
    const conversationId = context.activity.conversation?.id;
    const scope = auditOf(context);
    const later = laterRunnerFor(context);
    return {
      text,
      groups,
      info,
      correlationId,
      services,
      responder: turnResponder(context, info),
      logger: turnLogger,
      // Work that outlives the turn keeps its audit record open until it ends (engine and tokens included).
      later:
        later && scope
          ? (name, work, options) => later(name, (responder) => scope.track(() => work(responder)), options)
          : later,
      audit: scope ? (report) => scope.report(report) : undefined,
      remember: async (patch: ThreadSubjectPatch) => {
        try {
          await memory.remember(conversationId, patch);
        } catch (error) {
          turnLogger.warn({ code: toCopilotError(error).code }, 'could not update the thread memory');
        } finally {
          context.turnState.delete(threadSubjectKey);
        }
      },
      recall: () => recallThread(context),
    };
  }

  /**
   * Routes a message (typed, or a clarifying card's command): follow-ups that lean on the thread's subject are
   * rewritten into explicit commands first, or answered with a clarifying card; then the routing table decides.
   */
  async function routeMessage(context: TurnContext, typed: string, mayClassify = true): Promise<void> {
    // Most messages are explicit commands: the thread's subject is read only for a follow-up ("run it").
    const followUp = isFollowUp(typed) ? resolveFollowUp(typed, await recallThread(context)) : undefined;
    if (followUp?.kind === 'clarify') {
      await clarifyFollowUp(messageTurnFor(context, typed), followUp);
      return;
    }
    const text = followUp?.text ?? typed;
    const match = matchMessageRoute(text);
    const pasted = !match && looksLikeIntel(text);
    if (!match && !pasted && mayClassify && services.llm !== undefined) {
      if (await slowedDown(context, text)) return;
      // Free-form: one small LLM call translates it into a command, which is routed like typed text (once).
      const turn = messageTurnFor(context, text);
      await turn.responder.showTyping();
      const decision = await classifyIntent(text, {
        llm: services.llm,
        logger: turn.logger,
        isCommand: (command) => matchMessageRoute(command) !== undefined,
      });
      if (decision.kind === 'command') {
        await routeMessage(context, decision.command, false);
        return;
      }
      if (decision.kind === 'clarify') {
        await turn.responder.sendCard(
          clarifyCard({
            asked: text,
            question: 'Did you mean one of these?',
            choices: decision.choices.map((command) => ({ title: command, command })),
          }),
        );
        return;
      }
    }
    const handler = match ? messageHandlers[match.intent] : pasted ? analyzeIntel : unknownInput;
    const scope = auditOf(context);
    if (scope?.kind === 'message') scope.capability = match?.intent ?? (pasted ? 'analyzeIntel' : 'unknownInput');
    scope?.addInputs({
      alertId: match?.groups.alertId,
      incidentId: match?.groups.incidentId,
      audience: match?.groups.audience,
      platform: match?.groups.platform,
      command: scope.kind === 'invoke' ? (match?.intent ?? 'unknownInput') : undefined,
    });
    if (match) authorize(context, requiredRoleForMessage(match.intent, match.groups));
    const usesLlm = llmIntents.has(match?.intent ?? (pasted ? 'analyzeIntel' : ''));
    // A command the model classified was charged already (mayClassify is false then).
    if (usesLlm && mayClassify && (await slowedDown(context, text))) return;
    const turn = messageTurnFor(context, text, match?.groups);
    await handler(turn);
    const intent = match?.intent ?? (pasted ? 'analyzeIntel' : undefined);
    const groups = match?.groups ?? {};
    await turn.remember?.({
      alertId: groups.alertId,
      incidentId: groups.incidentId,
      indicators: intent !== undefined && indicatorIntents.has(intent) ? indicatorsIn(text) : undefined,
      query:
        intent === 'runQuery' || intent === 'validateQuery'
          ? {
              query: (groups.query ?? '').trim(),
              platform: groups.platform?.toLowerCase() === 'defender' ? 'defender' : 'sentinel',
            }
          : undefined,
    });
  }

  app.activity(ActivityTypes.Message, async (context) => {
    const audit = startAudit(context, 'message', 'message');
    try {
      await routeMessage(context, normalizeMessageText(context.activity.text));
    } catch (error) {
      audit.fail(error);
      await reportFailure(context, error);
    } finally {
      await audit.finish();
    }
  });

  const verbHandlers: Record<CardVerb, (context: TurnContext, data: unknown) => Promise<string>> = {
    explainAlert: async (context, data) => {
      const button = buttonData(
        AlertActionDataSchema,
        data,
        'explainAlert action without a valid alertId',
        'This button did not say which alert to explain.',
      );
      const alert = await findAlert(services, button.alertId);
      await explainAndReply(alert, messageTurnFor(context, ''));
      return 'Explanation posted.';
    },
    runHuntQuery: async (context, data) => {
      const button = buttonData(
        RunHuntQueryDataSchema,
        data,
        'runHuntQuery action without a valid query and platform',
        'This button did not carry a query I can run.',
      );
      await runQueryAndReply(messageTurnFor(context, ''), button);
      return 'Running the query.';
    },
    runCommand: async (context, data) => {
      const button = buttonData(
        RunCommandDataSchema,
        data,
        'runCommand action without a command',
        'This button did not say what to do.',
      );
      await routeMessage(context, normalizeMessageText(button.command));
      return 'Done.';
    },
    analyzeAlert: async (context, data) => {
      const button = buttonData(
        AlertActionDataSchema,
        data,
        'analyzeAlert action without a valid alertId',
        'This button did not say which alert to analyze.',
      );
      const alert = await findAlert(services, button.alertId);
      await analyzeAndReply(alert, messageTurnFor(context, ''));
      return 'Analysis posted.';
    },
    remediateAlert: async (context, data) => {
      const button = buttonData(
        AlertActionDataSchema,
        data,
        'remediateAlert action without a valid alertId',
        'This button did not say which alert to remediate.',
      );
      const subject = await findRemediationSubject(services.dataSource, button.alertId, 'alert');
      await remediateAndReply(subject, messageTurnFor(context, ''));
      return 'Response guidance posted.';
    },
    remediateIncident: async (context, data) => {
      const button = buttonData(
        IncidentActionDataSchema,
        data,
        'remediateIncident action without a valid incidentId',
        'This button did not say which incident to remediate.',
      );
      const subject = await findRemediationSubject(services.dataSource, button.incidentId, 'incident');
      await remediateAndReply(subject, messageTurnFor(context, ''));
      return 'Response guidance posted.';
    },
    huntIndicator: (context, data) => huntIndicatorAction(messageTurnFor(context, ''), data),
    huntThreat: (context, data) => huntThreatAction(messageTurnFor(context, ''), data),
    investigateAlert: async (context, data) => {
      const button = buttonData(
        AlertActionDataSchema,
        data,
        'investigateAlert action without a valid alertId',
        'This button did not say which alert to investigate.',
      );
      await investigateAlertIncident(messageTurnFor(context, ''), button.alertId);
      return 'Investigation posted.';
    },
    investigateIncident: async (context, data) => {
      const button = buttonData(
        IncidentActionDataSchema,
        data,
        'investigateIncident action without a valid incidentId',
        'This button did not say which incident to investigate.',
      );
      await investigateAndReply(messageTurnFor(context, ''), button.incidentId);
      return 'Investigation posted.';
    },
    reportIncident: async (context, data) => {
      const button = buttonData(
        ReportActionDataSchema,
        data,
        'reportIncident action without a valid incidentId and audience',
        'This button did not say which incident to report on, or for whom.',
      );
      await reportAndReply(messageTurnFor(context, ''), button);
      return 'Report posted.';
    },
    showHelp: async (context) => {
      await help(messageTurnFor(context, ''));
      return 'Here is what I can do.';
    },
  };

  // Before the general verb routes: buttons on the feed's alert cards (data.origin "feed") are the feed's.
  registerFeedCardActions(app, {
    services,
    feed,
    adapter,
    botAppId,
    background,
    correlationOf,
    setCorrelation: (context, correlationId) => context.turnState.set(correlationKey, correlationId),
    messageTurnFor,
    reportFailure: (context, error) => reportFailure(context, error),
    authorize: (context, verb, data) => authorize(context, requiredRoleForVerb(verb, data)),
    slowDown: buttonSlowDown,
    startAudit: startButtonAudit,
  });

  for (const [verb, handler] of Object.entries(verbHandlers)) {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const audit = startButtonAudit(context, verb, data);
      try {
        authorize(context, requiredRoleForVerb(verb, data));
        const refused = buttonSlowDown(context, verb);
        if (refused !== undefined) return refused;
        const answer = await handler(context, data);
        await rememberButtonSubject(context, data);
        return answer;
      } catch (error) {
        audit.fail(error);
        await reportFailure(context, error);
        return toCopilotError(error).userMessage;
      } finally {
        await audit.finish();
      }
    });
  }

  /**
   * Opens a click's audit record with the ids its button carries (never its query or command text: the handlers
   * report what they ran).
   */
  function startButtonAudit(context: TurnContext, verb: string, data: unknown): AuditScope {
    const audit = startAudit(context, 'invoke', verb);
    if (data !== null && typeof data === 'object') {
      const { alertId, incidentId, audience, platform, indicator } = data as Record<string, unknown>;
      audit.addInputs({ alertId, incidentId, audience, platform, indicator });
    }
    return audit;
  }

  /** A button about an alert or incident makes it the thread's subject, as typing its id would. */
  async function rememberButtonSubject(context: TurnContext, data: unknown): Promise<void> {
    if (data === null || typeof data !== 'object') return;
    const { alertId, incidentId } = data as Record<string, unknown>;
    const patch = {
      alertId: typeof alertId === 'string' && alertId !== '' ? alertId : undefined,
      incidentId: typeof incidentId === 'string' && incidentId !== '' ? incidentId : undefined,
    };
    await messageTurnFor(context, '').remember?.(patch);
  }

  // Invokes no route answered (an unknown card verb, a Teams feature this bot does not offer): a clear answer
  // instead of the SDK's bare 501, so a stale or forged button never looks like a server fault.
  app.activity(ActivityTypes.Invoke, async (context) => {
    const cardAction = context.activity.name === 'adaptiveCard/action';
    logger.info(
      { correlationId: correlationOf(context), invokeName: String(context.activity.name ?? '').slice(0, 80) },
      'unhandled invoke',
    );
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: cardAction
        ? {
            status: 200,
            body: {
              statusCode: 200,
              type: 'application/vnd.microsoft.activity.message',
              value: 'This button is not one I know. The card may be from an older version of the bot; ask me again.',
            },
          }
        : { status: 400, body: { error: 'unsupported invoke' } },
    });
  });

  adapter.onTurnError = async (context, error) => {
    await reportFailure(context, error);
  };

  return {
    app,
    drain: (timeoutMs) => background.drain(timeoutMs),
    async process(request, response, correlationId) {
      await adapter.process(request, response, async (context) => {
        context.turnState.set(correlationKey, correlationId);
        const llmScope = llmScopeFor(context);
        await runWithLlmScope(llmScope, () => app.run(context));
        await sendLlmNotices(context, llmScope);
        // An invoke nothing answered (Teams AI skips some it cannot route) gets a reason, not the SDK's bare 501.
        if (
          context.activity.type === ActivityTypes.Invoke &&
          context.turnState.get(INVOKE_RESPONSE_KEY) === undefined
        ) {
          await context.sendActivity({
            type: ActivityTypes.InvokeResponse,
            value: { status: 400, body: { error: 'unsupported invoke' } },
          });
        }
      });
    },
  };
}
