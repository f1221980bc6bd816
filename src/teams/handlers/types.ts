import type { AuditReport } from '../../audit';
import type { ThreadSubject, ThreadSubjectPatch } from '../../copilot/memory/thread-memory';
import type { Logger } from '../../logger';
import type { Services } from '../../services';
import type { TurnInfo } from '../turn-info';

export type AdaptiveCardJson = Record<string, unknown>;

/** How a handler answers, without touching the Bot Framework SDK (tests pass a recording fake). */
export interface Responder {
  /** Posts a card (in a channel: as a reply in the thread); returns the activity id when the channel gives one. */
  sendCard(card: AdaptiveCardJson): Promise<string | undefined>;
  updateCard(activityId: string, card: AdaptiveCardJson): Promise<void>;
  /** A typing indicator; only sent in 1:1 chats (channels do not show it and it costs rate limit). */
  showTyping(): Promise<void>;
}

export interface MessageTurn {
  text: string;
  /** Named groups of the route's pattern. */
  groups: Record<string, string | undefined>;
  info: TurnInfo;
  correlationId: string;
  services: Services;
  responder: Responder;
  logger: Logger;
  /** Present when the turn may finish before its answer (not for expectReplies, whose answer is the HTTP body). */
  later?: LaterRunner;
  /**
   * Records what this turn was about in the thread's memory ("investigate it" later resolves to it). Ids from the
   * route (alertId, incidentId) are recorded by the router; handlers add what only they know (the query they
   * wrote). Never fails the turn: a memory write that fails is logged.
   */
  remember?: (patch: ThreadSubjectPatch) => Promise<void>;
  /**
   * What the thread is about (its subject in the thread memory), read from the store at most once per turn: the
   * router's follow-up resolution and a hunt's subject share the read. May throw when the store cannot be read.
   */
  recall: () => Promise<ThreadSubject | undefined>;
  /**
   * Tells the audit trail how this turn was answered (the CapabilityResult's engine, model and tokens, the data
   * sources and KQL it used). Optional: the turn's audit record is written without it. Never throws.
   */
  audit?: (report: AuditReport) => void;
}

/**
 * Continues work after the turn is acknowledged, in a new turn on the same conversation. If the work
 * fails, the activity `replaceActivityId` (the "working…" card) becomes the error card.
 */
export type LaterRunner = (
  name: string,
  work: (responder: Responder) => Promise<void>,
  options: { replaceActivityId?: string },
) => void;

export type MessageHandler = (turn: MessageTurn) => Promise<void>;
