import type { CapabilityResult } from '../copilot/result';
import type { Remediation, RemediationStep } from '../copilot/remediate/schema';
import type { Severity } from '../sources/model';
import type { AdaptiveCard, CardAction, CardElement, CardText } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  collapsibleText,
  container,
  executeAction,
  factSet,
  heading,
  joinText,
  label,
  optional,
  severityStyle,
  subtleNote,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { footer, notesContainer, type CapabilityCardOptions } from './analysis-card';
import { entityLabel } from './alert-parts';
import { markdownLink, type SafeUrl } from './links';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

const PHASE_TITLES: Record<RemediationStep['phase'], string> = {
  contain: 'Contain',
  eradicate: 'Eradicate',
  recover: 'Recover',
  harden: 'Harden',
};

const TOOL_LABELS: Record<string, string> = {
  portal: 'Portal',
  powershell: 'PowerShell',
  graph: 'Graph',
  api: 'API',
  cli: 'Azure CLI',
};

const MITIGATION_ID = /^M\d{4}$/;

/** https://attack.mitre.org/mitigations/M1043/ for a validated M-id; undefined for anything else. */
export function attackMitigationUrl(id: string): SafeUrl | undefined {
  const candidate = id.trim().toUpperCase();
  return MITIGATION_ID.test(candidate) ? (`https://attack.mitre.org/mitigations/${candidate}/` as SafeUrl) : undefined;
}

export interface RemediationCardOptions extends CapabilityCardOptions {
  /** The subject's severity, for the header colour. */
  severity?: Severity;
}

/**
 * Response guidance: ordered steps by phase, each with its target entity, who can do it, and — behind
 * a Details toggle — why, where (portal, PowerShell, Graph), how to verify and the risk, plus the ATT&CK
 * mitigations it implements. Entity values and commands are shown defanged (text()), so a command must be
 * re-fanged before it is pasted; steps the model suggested are marked.
 */
export function remediationCard(
  result: CapabilityResult<Remediation>,
  options: RemediationCardOptions = {},
): AdaptiveCard {
  const remediation = result.result;
  const style = severityStyle(options.severity ?? 'informational');
  const kicker = joinText(
    [
      label('Response guidance'),
      label(remediation.subject.kind === 'alert' ? 'Alert' : 'Incident'),
      text(remediation.subject.id, LIMITS.label),
      ...(options.severity ? [label(`${style.label} severity`)] : []),
    ],
    ' · ',
  );
  const body: CardElement[] = [
    container(
      [
        textBlock(kicker, { size: 'small', weight: 'bolder', color: style.color, spacing: 'none' }),
        textBlock(text(remediation.subject.title || 'Untitled', LIMITS.title), {
          weight: 'bolder',
          style: 'heading',
          size: 'medium',
          spacing: 'small',
        }),
      ],
      { style: style.container, bleed: true },
    ),
    container(
      collapsibleText('summary', text(remediation.summary, LIMITS.section), text(remediation.summary, LIMITS.preview)),
    ),
  ];

  for (const phase of ['contain', 'eradicate', 'recover', 'harden'] as const) {
    const steps = remediation.steps.filter((step) => step.phase === phase);
    if (steps.length === 0) continue;
    body.push(container([heading(label(PHASE_TITLES[phase])), ...steps.map(stepElement)]));
  }

  if (remediation.mitigations.length > 0) {
    const lines = remediation.mitigations.slice(0, 10).map((mitigation, index) => {
      const url = attackMitigationUrl(mitigation.id);
      const title = `${mitigation.id} ${mitigation.name}`;
      return textBlock(
        joinText(
          [
            url === undefined ? text(title, LIMITS.title) : markdownLink(title, url),
            text(`for ${mitigation.techniques.join(', ')}`, LIMITS.label),
          ],
          ' — ',
        ),
        { size: 'small', spacing: index === 0 ? 'small' : 'none' },
      );
    });
    body.push(optional(container([heading(label('ATT&CK mitigations')), ...lines])));
  }
  const problems = notesContainer(result.notes, remediation.gaps);
  if (problems !== undefined) body.push(problems);
  body.push(footer(result, options));

  const actions: CardAction[] = [];
  if (remediation.subject.kind === 'alert') {
    actions.push(executeAction('Analyze alert', VERBS.analyzeAlert, { alertId: remediation.subject.id }));
    actions.push(executeAction('Explain alert', VERBS.explainAlert, { alertId: remediation.subject.id }));
  }
  return fitCard(adaptiveCard(body, actions, { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function stepElement(step: RemediationStep): CardElement {
  const detailsId = `step-${step.order}-details`;
  const model = step.origin === 'model' ? [label('(suggested by the model — check before acting)')] : [];
  const details: Array<{ title: CardText; value: CardText }> = [
    { title: label('Why'), value: text(step.why, LIMITS.factValue) },
    ...step.where.slice(0, 4).map((where) => ({
      title: label(TOOL_LABELS[where.tool] ?? where.tool),
      value: text(where.how, LIMITS.listItem),
    })),
    { title: label('Verify'), value: text(step.verify, LIMITS.factValue) },
    { title: label('Risk'), value: text(step.risk, LIMITS.factValue) },
  ];
  if (step.mitigations.length > 0)
    details.push({
      title: label('ATT&CK'),
      value: text(
        step.mitigations.map((mitigation) => `${mitigation.id} ${mitigation.name}`).join(', '),
        LIMITS.factValue,
      ),
    });
  return container(
    [
      textBlock(joinText([label(`${step.order}.`), text(step.action, LIMITS.listItem), ...model], ' '), {
        weight: 'bolder',
        color: step.origin === 'model' ? 'warning' : undefined,
      }),
      subtleNote(
        joinText(
          [
            joinText([label('Target:'), entityLabel(step.target.type), text(step.target.value, LIMITS.factValue)], ' '),
            joinText([label('Who:'), text(step.who, LIMITS.factValue)], ' '),
          ],
          ' · ',
        ),
        { spacing: 'none' },
      ),
      container([factSet(details)], { id: detailsId, isVisible: false, spacing: 'small' }),
      actionSet([toggleVisibilityAction('Details', [detailsId])], { spacing: 'none' }),
    ],
    { spacing: 'small' },
  );
}

/**
 * "How do I contain this?" with nothing discussed yet in the thread: which alert or incident, with example
 * commands to send.
 */
export function remediationSubjectPromptCard(): AdaptiveCard {
  return adaptiveCard([
    heading(label('Which alert or incident?'), { spacing: 'none' }),
    textBlock(label('Tell me what to contain, for example:')),
    textBlock(label('• how do I contain alert da-1009'), { spacing: 'none' }),
    textBlock(label('• remediation for incident 45'), { spacing: 'none' }),
    textBlock(label('• triage — to see what to look at first'), { spacing: 'none' }),
  ]);
}
