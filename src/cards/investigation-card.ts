import type { Investigation } from '../copilot/investigate/schema';
import type { CapabilityResult } from '../copilot/result';
import type { Incident } from '../sources/model';
import type { AdaptiveCard, CardAction, CardElement, CardText, TextColor } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  cardTime,
  collapsibleText,
  container,
  executeAction,
  factSet,
  heading,
  joinText,
  label,
  openUrlAction,
  optional,
  severityStyle,
  subtleNote,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { engineLine } from './alert-explanation-card';
import { entityLabel, techniqueLines } from './alert-parts';
import { portalLink } from './links';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

const VERDICT_STYLES: Readonly<Record<Investigation['assessment']['verdict'], { color: TextColor; label: string }>> = {
  malicious: { color: 'attention', label: 'Malicious' },
  suspicious: { color: 'warning', label: 'Suspicious' },
  benign: { color: 'good', label: 'Benign' },
  undetermined: { color: 'default', label: 'Undetermined' },
};

/** Items shown before a "Show all" toggle. */
const visibleTimelineEvents = 6;
const visibleAssets = 6;

/**
 * The "investigate incident" answer: assessment with severity colour, attack vector, scope, timeline, related
 * threats, ordered containment steps, evidence to preserve and the findings with their evidence ids. Long parts
 * start collapsed. Buttons chain to hunting and to the report. Every text from the incident, its alerts or the
 * model is attacker-influenced and goes through `text()` (indicators defanged, no links); the only links are
 * ATT&CK technique pages and a Microsoft portal link that passes `portalLink`.
 */
export function investigationCard(
  result: CapabilityResult<Investigation>,
  incident: Pick<Incident, 'id' | 'title'> & { portalUrl?: string },
): AdaptiveCard {
  const investigation = result.result;
  const body: CardElement[] = [
    header(investigation, incident),
    section('inv-summary', 'Assessment', investigation.assessment.summary),
    textBlock(joinText([label('Why:'), text(investigation.assessment.rationale, LIMITS.section)], ' '), {
      size: 'small',
      spacing: 'small',
    }),
    attackVectorSection(investigation),
    scopeSection(investigation),
    timelineSection(investigation.timeline),
    containmentSection(investigation.containment),
  ];
  if (investigation.relatedThreats.length > 0) body.push(optional(threatsSection(investigation.relatedThreats)));
  if (investigation.evidenceToPreserve.length > 0)
    body.push(optional(preserveSection(investigation.evidenceToPreserve)));
  if (investigation.findings.length > 0) body.push(optional(findingsSection(investigation.findings)));
  if (investigation.techniques.length > 0) {
    body.push(optional(container([heading(label('MITRE ATT&CK')), ...techniqueLines(investigation.techniques)])));
  }
  const warnings = [
    ...investigation.gaps.map((gap) => joinText([label('Not available:'), text(gap, LIMITS.note)], ' ')),
    ...result.notes.map((note) => text(note, LIMITS.note)),
  ];
  if (warnings.length > 0) {
    body.push(
      container(
        warnings.map((warning, index) =>
          textBlock(warning, { size: 'small', spacing: index === 0 ? 'none' : 'small' }),
        ),
        { style: 'warning', spacing: 'medium' },
      ),
    );
  }
  body.push(subtleNote(footer(result), { separator: true, spacing: 'medium' }));
  return fitCard(adaptiveCard(body, actions(investigation, incident), { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function header(investigation: Investigation, incident: Pick<Incident, 'id' | 'title'>): CardElement {
  const style = severityStyle(investigation.assessment.severity);
  const verdict = VERDICT_STYLES[investigation.assessment.verdict] ?? VERDICT_STYLES.undetermined;
  const line = joinText(
    [
      label('Incident investigated'),
      label(`${style.label} severity`),
      label(`${verdict.label} (${investigation.assessment.confidence} confidence)`),
    ],
    ' · ',
  );
  return container(
    [
      textBlock(line, { size: 'small', weight: 'bolder', color: style.color, spacing: 'none' }),
      heading(
        joinText(
          [label(`Incident ${incident.id.slice(0, 60)}:`), text(incident.title || 'Untitled', LIMITS.title)],
          ' ',
        ),
        {
          size: 'medium',
          spacing: 'small',
        },
      ),
    ],
    { style: style.container, bleed: true },
  );
}

function section(idPrefix: string, title: string, content: string): CardElement {
  return container([
    heading(label(title)),
    ...collapsibleText(idPrefix, text(content, LIMITS.section), text(content, LIMITS.preview)),
  ]);
}

/** A block of lines whose tail is hidden behind a toggle; ids must be unique in the card. */
function collapsibleLines(id: string, lines: CardElement[], visible: number, what: string): CardElement[] {
  if (lines.length <= visible) return lines;
  const hiddenId = `${id}-more`;
  return [
    ...lines.slice(0, visible),
    container(lines.slice(visible), { id: hiddenId, isVisible: false, spacing: 'none' }),
    actionSet([toggleVisibilityAction(`Show all ${lines.length} ${what} / fewer`, [hiddenId])], { spacing: 'small' }),
  ];
}

function attackVectorSection(investigation: Investigation): CardElement {
  const vector = investigation.attackVector;
  const techniques = vector.techniqueIds.map((id) => {
    const known = investigation.techniques.find((technique) => technique.id === id);
    return { id, name: known?.name, tactics: known?.tactics };
  });
  return container([
    heading(label('Attack vector')),
    textBlock(text(vector.description, LIMITS.section)),
    ...techniqueLines(techniques),
  ]);
}

function scopeSection(investigation: Investigation): CardElement {
  const { scope } = investigation;
  const items: CardElement[] = [heading(label('Scope')), textBlock(text(scope.summary, LIMITS.section))];
  if (scope.users.length > 0) {
    items.push(
      factSet(
        scope.users.map((user) => ({
          title: label(user.privileged ? 'User (privileged)' : 'User'),
          value: joinText(
            [
              text(user.userPrincipalName, LIMITS.title),
              text(
                [
                  user.department,
                  user.riskLevel && user.riskLevel !== 'unknown' ? `risk ${user.riskLevel}` : '',
                  user.role,
                ]
                  .filter(Boolean)
                  .join(' · '),
                LIMITS.label * 2,
              ),
            ],
            ' — ',
          ),
        })),
        { spacing: 'small' },
      ),
    );
  }
  if (scope.assets.length > 0) {
    const facts = scope.assets.map((asset) =>
      factSet(
        [
          {
            title: entityLabel(asset.type),
            value: joinText([text(asset.value, LIMITS.factValue), text(`(${asset.role})`, LIMITS.label)], ' '),
          },
        ],
        { spacing: 'none' },
      ),
    );
    items.push(...collapsibleLines('inv-assets', facts, visibleAssets, 'assets'));
  }
  return container(items);
}

function unverifiedMark(unverified: boolean): CardText[] {
  return unverified ? [label('(unverified)')] : [];
}

function timelineSection(timeline: Investigation['timeline']): CardElement {
  if (timeline.length === 0) {
    return container([heading(label('Timeline')), textBlock(label('No timed events are known.'))]);
  }
  const lines = timeline.map((event, index) =>
    textBlock(
      joinText(
        [
          cardTime(event.time),
          label('—'),
          text(event.source, LIMITS.label),
          label(':'),
          text(event.description, LIMITS.listItem),
          ...unverifiedMark(event.unverified),
        ],
        ' ',
      ),
      { size: 'small', spacing: index === 0 ? 'small' : 'none' },
    ),
  );
  return container([
    heading(label('Timeline')),
    ...collapsibleLines('inv-timeline', lines, visibleTimelineEvents, 'events'),
  ]);
}

function containmentSection(steps: Investigation['containment']): CardElement {
  if (steps.length === 0) {
    return container([
      heading(label('Containment')),
      textBlock(label('No containment step follows from the evidence.')),
    ]);
  }
  const lines = steps.map((step) =>
    textBlock(joinText([label(`${step.order}.`), text(step.action, LIMITS.listItem)], ' '), { spacing: 'small' }),
  );
  const details = steps.map((step) =>
    factSet(
      [
        {
          title: label(`${step.order}. Target`),
          value: joinText([entityLabel(step.target.type), text(step.target.value, LIMITS.factValue)], ': '),
        },
        { title: label('Who'), value: text(step.owner, LIMITS.factValue) },
        { title: label('Verify'), value: text(step.verification, LIMITS.factValue) },
      ],
      { spacing: 'small' },
    ),
  );
  return container([
    heading(label('Containment (in order)')),
    ...lines,
    container(details, { id: 'inv-containment-details', isVisible: false }),
    actionSet([toggleVisibilityAction('Targets, owners and checks', ['inv-containment-details'])], {
      spacing: 'small',
    }),
  ]);
}

function threatsSection(threats: Investigation['relatedThreats']): CardElement {
  return container([
    heading(label('Related threats')),
    ...threats.map((threat, index) =>
      textBlock(
        joinText(
          [
            text(threat.name, LIMITS.label),
            label(threat.attackId ? `(${threat.kind}, ATT&CK ${threat.attackId})` : `(${threat.kind})`),
            label('—'),
            text(threat.reason, LIMITS.listItem),
          ],
          ' ',
        ),
        { size: 'small', spacing: index === 0 ? 'small' : 'none' },
      ),
    ),
  ]);
}

function preserveSection(items: Investigation['evidenceToPreserve']): CardElement {
  const lines = items.map((item) =>
    factSet(
      [
        { title: label('What'), value: text(item.what, LIMITS.factValue) },
        { title: label('Where'), value: text(item.where, LIMITS.factValue) },
        { title: label('Why'), value: text(item.why, LIMITS.factValue) },
      ],
      { spacing: 'small' },
    ),
  );
  return container([
    heading(label(`Evidence to preserve (${items.length})`)),
    container(lines, { id: 'inv-preserve', isVisible: false }),
    actionSet([toggleVisibilityAction('Show / hide', ['inv-preserve'])], { spacing: 'small' }),
  ]);
}

function findingsSection(findings: Investigation['findings']): CardElement {
  const lines = findings.map((finding, index) =>
    textBlock(
      joinText(
        [
          label('•'),
          text(finding.statement, LIMITS.listItem),
          ...unverifiedMark(finding.unverified),
          ...(finding.evidenceIds.length > 0
            ? [
                text(
                  `[${finding.evidenceIds.slice(0, 5).join(', ')}${finding.evidenceIds.length > 5 ? ', …' : ''}]`,
                  LIMITS.label * 2,
                ),
              ]
            : []),
        ],
        ' ',
      ),
      { size: 'small', spacing: index === 0 ? 'small' : 'none' },
    ),
  );
  return container([
    heading(label('Findings and evidence')),
    ...collapsibleLines('inv-findings', lines, 5, 'findings'),
  ]);
}

function footer(result: CapabilityResult<Investigation>): CardText {
  const sources = result.result.dataSources.slice(0, 4).join('; ');
  return joinText(
    [
      engineLine(result.engine),
      ...(sources ? [joinText([label('Sources:'), text(sources, LIMITS.note)], ' ')] : []),
      cardTime(result.generatedAt),
    ],
    ' · ',
  );
}

/** Investigate → Hunt → Report: the next capabilities, each a verb the bot routes. */
function actions(investigation: Investigation, incident: Pick<Incident, 'id'> & { portalUrl?: string }): CardAction[] {
  const incidentId = incident.id.slice(0, 128);
  const result: CardAction[] = [];
  const technique = investigation.techniques[0];
  if (technique !== undefined) {
    result.push(
      executeAction(`Hunt: ${technique.id}`, VERBS.huntThreat, {
        threat: `${technique.id} ${technique.name}`.slice(0, 300),
        incidentId,
      }),
    );
  }
  result.push(
    executeAction('Report for executives', VERBS.reportIncident, { incidentId, audience: 'executive' }, 'positive'),
  );
  result.push(executeAction('Technical report', VERBS.reportIncident, { incidentId, audience: 'technical' }));
  const portal = portalLink(incident.portalUrl);
  if (portal !== undefined) result.push(openUrlAction('Open in portal', portal));
  return result;
}
