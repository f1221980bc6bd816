import { alertCard } from '../cards/alert-card';
import type { AdaptiveCard } from '../cards/card-kit';
import type { AlertCardFeedState } from '../cards/alert-card';
import type { FeedAlertRecord, FeedWorkKind } from './model';

const workTitles: Record<FeedWorkKind, string> = {
  explain: 'Explanation',
  investigate: 'Investigation',
  analyze: 'ATT&CK analysis',
  hunt: 'Hunting query',
  report: 'Report',
};

/** The feed card for a record: the alert as it stands now, plus what analysts did on it. */
export function feedAlertCard(
  record: FeedAlertRecord,
  options: { techniqueName?: (id: string) => string | undefined } = {},
): AdaptiveCard {
  const state: AlertCardFeedState = {
    acknowledged: record.triage.acknowledged,
    assigned: record.triage.assigned,
    closed: record.triage.closed,
    activity: Object.entries(record.work)
      .flatMap(([kind, work]) =>
        work ? [{ what: workTitles[kind as FeedWorkKind], by: work.by, at: work.at, state: work.state }] : [],
      )
      .sort((left, right) => left.at.localeCompare(right.at)),
  };
  return alertCard(record.alert, { techniqueName: options.techniqueName, feed: state });
}
