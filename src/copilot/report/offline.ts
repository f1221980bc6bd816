import type { IncidentContext } from '../context';
import { joinList } from '../explain-alert/plain-language';
import type { Investigation } from '../investigate';
import { formatTime, plural } from '../investigate/offline';
import { isHostile, mergeEvidence } from '../investigate/rules';
import { followUpQueries } from './queries';
import type { IncidentReport, ReportAudience, TlpMarking } from './schema';

/**
 * The offline report: written from the incident, its context and the investigation by audience-specific
 * templates. Executives get plain words, business impact and the decisions they must take; technical readers
 * get techniques, indicators and follow-up queries; the regulator version is formal and factual.
 */

export interface ReportInputs {
  context: IncidentContext;
  investigation: Investigation;
  audience: ReportAudience;
  tlp: TlpMarking;
  basis: string;
  /** Whether the evidence shows data leaving the organisation (see wording.ts). */
  exfiltrationShown: boolean;
}

/** What each ATT&CK tactic means for the business, in words for people who do not know ATT&CK. */
const businessImpact: Array<{ tactic: string; impact: string; recommendation: string; lesson: string }> = [
  {
    tactic: 'Impact',
    impact: 'systems or files the business relies on may be encrypted, deleted or unavailable',
    recommendation: 'Check that offline backups of the affected systems exist, are recent and can be restored.',
    lesson: 'Ransomware reached a production system: test restores regularly and segment file servers.',
  },
  {
    tactic: 'Credential Access',
    impact: 'passwords or sign-in tokens may be known to the attacker',
    recommendation: 'Require phishing-resistant multi-factor authentication for administrators and high-risk roles.',
    lesson:
      'Stolen credentials let the attacker move on: protect credential stores (LSASS protection, tiered admin accounts).',
  },
  {
    tactic: 'Lateral Movement',
    impact: 'the attacker may have reached more computers than the alerts name',
    recommendation:
      'Restrict administrative logons between workstations and servers (tiering, local admin password management).',
    lesson: 'The attacker moved between systems: review which accounts can log on where.',
  },
  {
    tactic: 'Collection',
    impact: 'business e-mail or files may have been read or copied',
    recommendation: 'Block automatic forwarding of e-mail to external domains by policy.',
    lesson: 'Mailbox rules went unnoticed for a while: alert on new forwarding and hiding rules.',
  },
  {
    tactic: 'Initial Access',
    impact: 'an attacker got a first foothold, often through a person',
    recommendation: 'Run targeted awareness training for the affected teams and keep Safe Links / Safe Attachments on.',
    lesson:
      'The first step was a deceptive message or sign-in: keep improving e-mail filtering and sign-in risk policies.',
  },
  {
    tactic: 'Persistence',
    impact: 'the attacker may have set up a way back in',
    recommendation:
      'Review scheduled tasks, services, inbox rules and app consents created during the incident window.',
    lesson: 'Persistence was created: include persistence checks in every incident closure.',
  },
  {
    tactic: 'Command and Control',
    impact: 'a device was under remote control of the attacker',
    recommendation: 'Block newly registered and uncategorised domains at the proxy.',
    lesson: 'Outbound connections to attacker infrastructure were possible: tighten egress filtering.',
  },
  {
    tactic: 'Exfiltration',
    impact: 'data left the organisation',
    recommendation: 'Involve legal and privacy counsel to assess notification duties.',
    lesson: 'Data left the organisation: review data-loss-prevention coverage for the channel used.',
  },
];

export function reportOffline(inputs: ReportInputs): IncidentReport {
  const { context, investigation, audience } = inputs;
  const tactics = new Set(investigation.techniques.flatMap((technique) => technique.tactics));
  const impacts = businessImpact.filter(
    (entry) => tactics.has(entry.tactic) && (entry.tactic !== 'Exfiltration' || inputs.exfiltrationShown),
  );
  const users = investigation.scope.users;
  const assets = investigation.scope.assets.filter((asset) => asset.role !== 'attacker infrastructure');
  const departments = [
    ...new Set(users.map((user) => user.department).filter((name): name is string => Boolean(name))),
  ];
  const technical = audience === 'technical';

  return {
    title: `Incident ${context.incident.id}: ${context.incident.title}`,
    audience,
    tlp: inputs.tlp,
    basis: inputs.basis,
    executiveSummary: executiveSummary(inputs, impacts, departments),
    decisionsNeeded: technical ? [] : decisions(inputs, impacts),
    timeline: investigation.timeline
      // Executives read what the products reported; process start times and end markers are for analysts.
      .filter(
        (event) =>
          audience !== 'executive' ||
          (event.source !== 'Process evidence' && !/^Last activity/.test(event.description)),
      )
      .slice(0, technical ? 40 : 12)
      .map((event) => ({
        time: event.time,
        description: technical ? `${event.source}: ${event.description}` : plainEvent(event.description),
      })),
    technicalDetails: {
      summary: technical
        ? `${investigation.attackVector.description} ${investigation.scope.summary}`
        : plainVector(investigation, impacts),
      techniques: technical
        ? investigation.techniques.map(({ id, name, tactics: names }) => ({ id, name, tactics: names }))
        : [],
      indicators: technical ? indicators(context) : [],
      queries: technical ? followUpQueries(investigation) : [],
    },
    impactAssessment: {
      summary: impactSummary(inputs, impacts, departments),
      affectedUsers: users.length,
      affectedAssets: assets.length,
      dataImpact: inputs.exfiltrationShown
        ? 'The evidence includes activity classified as exfiltration; which data left the organisation must be established.'
        : 'The evidence does not show data leaving the organisation. It does not rule it out either; this is not established.',
    },
    responseActionsTaken: responseActions(inputs),
    recommendations: recommendations(inputs, impacts),
    lessonsLearned: lessons(inputs, impacts),
    gaps: investigation.gaps,
  };
}

function executiveSummary(inputs: ReportInputs, impacts: typeof businessImpact, departments: string[]): string {
  const { context, investigation, audience } = inputs;
  const { incident } = context;
  if (audience === 'technical') return `${investigation.assessment.summary} ${investigation.assessment.rationale}`;
  const first = investigation.timeline[0]?.time ?? incident.createdAt;
  const who =
    investigation.scope.users.length > 0
      ? plural(investigation.scope.users.length, 'employee account')
      : 'no named employee';
  const where = departments.length > 0 ? ` in ${joinList(departments)}` : '';
  const verdictWords: Record<Investigation['assessment']['verdict'], string> = {
    malicious: 'a real attack',
    suspicious: 'suspicious activity that is not yet confirmed as an attack',
    benign: 'activity that turned out to be harmless',
    undetermined: 'activity whose nature is not yet determined',
  };
  const sentences = [
    `On ${formatTime(first).slice(0, 10)}, our security tools detected ${verdictWords[investigation.assessment.verdict]} affecting ${who}${where}.`,
    impacts.length > 0 ? `The main concern is that ${joinList(impacts.slice(0, 2).map((entry) => entry.impact))}.` : '',
    `The investigation rates it ${investigation.assessment.severity} severity; the incident is ${statusWords(incident.status)}.`,
  ];
  if (audience === 'regulator') {
    sentences.push(
      inputs.exfiltrationShown
        ? 'The evidence includes activity classified as data exfiltration; its extent is under investigation.'
        : 'The available evidence does not establish that personal or customer data left the organisation.',
    );
  }
  return sentences.filter(Boolean).join(' ');
}

function statusWords(status: string): string {
  const words: Record<string, string> = {
    active: 'still open',
    inProgress: 'being handled by the security team',
    resolved: 'resolved',
    redirected: 'merged into another incident',
  };
  return Object.hasOwn(words, status) ? words[status] : 'of unknown status';
}

/** Alert titles are product wording; the alert id and severity prefix mean nothing to an executive. */
function plainEvent(description: string): string {
  return description
    .replace(/^(?:High|Medium|Low|Informational) alert "(.*)" \([^)]*\): activity starts\.$/, 'Security alert: $1.')
    .replace(/\s*\((?:[a-z]{2}-\d+|[\w-]+#\d+)\)/g, '');
}

function plainVector(investigation: Investigation, impacts: typeof businessImpact): string {
  const initial = impacts.find((entry) => entry.tactic === 'Initial Access');
  const stages = impacts.map((entry) => entry.impact);
  return [
    initial
      ? 'The attack started when the attacker got a first foothold, most likely through a deceptive message or sign-in.'
      : 'How the attacker first got in is not yet known.',
    stages.length > 0 ? `What followed means ${joinList(stages.slice(0, 3))}.` : '',
    `${plural(investigation.containment.length, 'containment step')} ${investigation.containment.length === 1 ? 'is' : 'are'} recommended.`,
  ]
    .filter(Boolean)
    .join(' ');
}

function impactSummary(inputs: ReportInputs, impacts: typeof businessImpact, departments: string[]): string {
  const { investigation } = inputs;
  const privileged = investigation.scope.users.filter((user) => user.privileged);
  const parts = [
    `${plural(investigation.scope.users.length, 'user account')} and ${plural(investigation.scope.assets.filter((asset) => asset.role !== 'attacker infrastructure').length, 'device or resource', 'devices or resources')} are affected${departments.length > 0 ? ` (${joinList(departments)})` : ''}.`,
  ];
  if (privileged.length > 0)
    parts.push(
      `${plural(privileged.length, 'privileged account')} ${privileged.length === 1 ? 'is' : 'are'} involved, which raises the potential impact.`,
    );
  if (impacts.length > 0) parts.push(`Possible consequences: ${joinList(impacts.map((entry) => entry.impact))}.`);
  else parts.push('The evidence does not show business impact beyond the affected accounts and devices.');
  return parts.join(' ');
}

function decisions(inputs: ReportInputs, impacts: typeof businessImpact): string[] {
  const { investigation, audience } = inputs;
  const result: string[] = [];
  const isolations = investigation.containment.filter(
    (step) => step.target.type === 'host' || step.target.type === 'azureResource',
  );
  if (isolations.length > 0) {
    result.push(
      `Approve taking ${plural(isolations.length, 'affected system')} offline (${joinList(isolations.slice(0, 3).map((step) => step.target.value))}) even if work is disrupted.`,
    );
  }
  if (investigation.scope.users.some((user) => user.privileged)) {
    result.push(
      'Approve an emergency reset of the affected administrator accounts, accepting a short interruption of IT operations.',
    );
  }
  if (
    impacts.some((entry) => entry.tactic === 'Collection' || entry.tactic === 'Exfiltration') ||
    audience === 'regulator'
  ) {
    result.push(
      'Ask legal and privacy counsel to assess whether notification duties (for example under GDPR within 72 hours) could apply once the data impact is established.',
    );
  }
  if (impacts.some((entry) => entry.tactic === 'Impact')) {
    result.push(
      'Decide whether to restore from backups now or wait for the investigation to confirm the attacker is gone.',
    );
  }
  if (result.length === 0)
    result.push('No decision is needed now; the security team will report when the investigation concludes.');
  return result.slice(0, 6);
}

function indicators(context: IncidentContext): IncidentReport['technicalDetails']['indicators'] {
  const result: IncidentReport['technicalDetails']['indicators'] = [];
  for (const entity of mergeEvidence(context.evidence)) {
    if (result.length >= 30) break;
    if (['ip', 'url', 'domain', 'mailbox'].includes(entity.type) && isHostile(entity)) {
      result.push({ type: entity.type, value: entity.value });
    }
    if ((entity.type === 'file' || entity.type === 'process') && entity.properties.verdict === 'malicious') {
      const hash = entity.properties.sha256 ?? entity.properties.sha1 ?? entity.properties.md5;
      if (hash !== undefined && !result.some((item) => item.value === hash))
        result.push({ type: 'file hash', value: hash });
    }
  }
  return result;
}

function responseActions(inputs: ReportInputs): string[] {
  const { context } = inputs;
  const { incident } = context;
  const actions: string[] = [];
  if (incident.assignedTo) actions.push(`The incident was assigned to ${incident.assignedTo}.`);
  if (incident.classification) {
    actions.push(
      `It was classified as ${incident.classification}${incident.determination ? ` (${incident.determination})` : ''}.`,
    );
  }
  const resolved = context.alerts.filter((alert) => alert.status === 'resolved');
  if (resolved.length > 0) {
    actions.push(
      `${plural(resolved.length, 'alert')} of ${context.alerts.length} ${resolved.length === 1 ? 'is' : 'are'} resolved.`,
    );
  }
  if (incident.status === 'resolved') actions.push('The incident is resolved.');
  if (actions.length === 0) actions.push('No response actions are recorded in the data source yet.');
  actions.push(
    'An investigation was run to prepare this report (see the basis above); its containment steps are listed under recommendations.',
  );
  return actions;
}

function recommendations(inputs: ReportInputs, impacts: typeof businessImpact): string[] {
  const { investigation, audience } = inputs;
  const result: string[] = [];
  if (audience === 'technical') {
    for (const step of investigation.containment.slice(0, 6))
      result.push(`${step.action} (${step.owner}; verify: ${step.verification})`);
  } else if (investigation.containment.length > 0) {
    result.push(
      `Complete the ${plural(investigation.containment.length, 'containment step')} the security team has listed, most urgent first.`,
    );
  }
  for (const entry of impacts) result.push(entry.recommendation);
  if (investigation.evidenceToPreserve.length > 0) {
    result.push(
      audience === 'technical'
        ? `Preserve before remediation: ${joinList(investigation.evidenceToPreserve.slice(0, 4).map((item) => item.what))}.`
        : 'Preserve the evidence (logs, affected systems) before systems are cleaned, in case it is needed later.',
    );
  }
  if (result.length === 0) result.push('Keep monitoring the affected accounts and devices for renewed activity.');
  return result.slice(0, 12);
}

function lessons(inputs: ReportInputs, impacts: typeof businessImpact): string[] {
  const { context, investigation } = inputs;
  const result: string[] = impacts.map((entry) => entry.lesson);
  const first = context.alerts[0];
  if (first) {
    const activity = Date.parse(first.firstActivityAt ?? first.createdAt);
    const detected = Date.parse(first.createdAt);
    const minutes = Math.round((detected - activity) / 60_000);
    if (Number.isFinite(minutes) && minutes > 0) {
      result.push(
        `The first alert came ${minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`} after the first activity; review whether detection can be faster.`,
      );
    }
  }
  if (investigation.attackVector.techniqueIds.length === 0) {
    result.push(
      'How the attacker got in is not known: check that e-mail, sign-in and endpoint logs cover the period before the first alert.',
    );
  }
  if (investigation.gaps.length > 0) {
    result.push(
      `Some data could not be read during the investigation (${investigation.gaps.length}); make sure the SOC has access to every source it needs.`,
    );
  }
  return result.slice(0, 10);
}
