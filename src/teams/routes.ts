import type { Verb } from '../cards';

/**
 * The routing table: message intents as anchored patterns over the normalized text (bot mention
 * already stripped), and card verbs. Pure data, so it is tested without the Bot Framework and the
 * help card is generated from it (what the help card promises is exactly what is routed).
 */
export type MessageIntent =
  | 'help'
  | 'greeting'
  | 'explainAlertById'
  | 'explainAlertJson'
  | 'investigateIncidentById'
  | 'investigateIncidentJson'
  | 'reportIncident'
  | 'describeTechnique'
  | 'checkIndicators'
  | 'analyzeIntel'
  | 'askQuestion'
  | 'huntForThreat'
  | 'questionToKql'
  | 'validateQuery'
  | 'runQuery'
  | 'listIncidents'
  | 'listAlerts'
  | 'analyzeAlertById'
  | 'triageQueue'
  | 'remediateSubject'
  | 'remediateWithoutSubject'
  | 'subscribeAlertFeed'
  | 'unsubscribeAlertFeed'
  | 'showFindings'
  | 'showMyAudit';

export interface HelpEntry {
  title: string;
  description: string;
  examples: string[];
}

export interface MessageRoute {
  intent: MessageIntent;
  pattern: RegExp;
  help?: HelpEntry;
}

// An id ends in a letter, digit, _ or -, so a sentence's final period is not part of it.
const alertId = '(?<alertId>[A-Za-z0-9](?:[\\w.:-]{0,198}[\\w-])?)';

export const messageRoutes: readonly MessageRoute[] = [
  {
    intent: 'help',
    pattern: /^(?:help|\?|commands|what can you do\??)$/i,
    help: { title: 'Help', description: 'Show what I can do.', examples: ['help'] },
  },
  {
    intent: 'greeting',
    pattern: /^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b[\s!.]*$/i,
  },
  {
    // The caller's own audit trail; before describeTechnique / askQuestion, which would take "audit" phrases.
    intent: 'showMyAudit',
    pattern: /^(?:(?:show\s+)?(?:my\s+)?audit(?:\s+(?:trail|log))?|(?:show\s+)?my\s+(?:recent\s+)?activity)\s*[?.!]*$/i,
  },
  {
    // Before describeTechnique / askQuestion. "show findings for incident 42", "findings incident 42".
    intent: 'showFindings',
    pattern: new RegExp(
      `^(?:(?:show|list)\\s+(?:me\\s+)?)?(?:the\\s+)?findings\\s+(?:for\\s+|of\\s+|on\\s+)?(?:the\\s+)?(?:alert\\s+(?:id\\s+)?${alertId}|incident\\s+(?:id\\s+)?#?(?<incidentId>[A-Za-z0-9][\\w-]{0,127}))\\s*[.?!]?$`,
      'i',
    ),
    help: {
      title: 'Findings',
      description:
        'What was already found about an incident or alert: who asked, when, which engine, in one line each.',
      examples: ['show findings for incident 42'],
    },
  },
  {
    // Not "alerts …": that is listAlerts. The filter is a severity threshold and/or "from <source>, <source>".
    intent: 'subscribeAlertFeed',
    pattern:
      /^(?:use\s+this\s+(?:channel|chat)\s+for\s+(?:the\s+)?alerts|(?:send|post)\s+(?:the\s+|new\s+)?alerts\s+(?:here|to\s+this\s+(?:channel|chat)))(?:\s*[:,-]?\s+(?<filter>[^\n]{1,200}?))?\s*[.!]?$/i,
    help: {
      title: 'Alert feed',
      description:
        'New alerts posted to this channel as cards with Explain, Investigate, Analyze, Hunt, Report and triage buttons; a severity threshold and sources are optional.',
      examples: ['use this channel for alerts high and above', 'send alerts here medium and above'],
    },
  },
  {
    intent: 'unsubscribeAlertFeed',
    pattern:
      /^(?:stop|no\s+more|unsubscribe(?:\s+from)?)\s+(?:sending\s+|posting\s+)?(?:the\s+)?alerts(?:\s+(?:here|in\s+this\s+(?:channel|chat)))?\s*[.!]?$/i,
  },
  {
    intent: 'explainAlertJson',
    pattern: /^explain(?:\s+(?:the\s+|this\s+)?alert)?\s*[:-]?\s*(?<json>[{[][\s\S]*)$/i,
    help: {
      title: 'Explain pasted alert JSON',
      description:
        'Paste an alert as JSON (Graph Security alerts_v2, a Sentinel SecurityAlert row, or a Defender for Endpoint alert).',
      examples: ['explain {"@odata.type": "#microsoft.graph.security.alert", …}'],
    },
  },
  {
    intent: 'explainAlertById',
    pattern: new RegExp(`^explain\\s+(?:the\\s+|this\\s+)?alert\\s+(?:id\\s+)?${alertId}\\s*[.?!]?$`, 'i'),
    help: {
      title: 'Explain an alert',
      description: 'What happened, why it matters, how urgent it is and what to do — in plain language.',
      examples: ['explain alert <alert id>'],
    },
  },
  {
    // An incident id has a digit, so "investigate it" and "investigate this" stay follow-ups, not ids.
    intent: 'investigateIncidentById',
    pattern: new RegExp(
      `^investigate\\s+(?:the\\s+|this\\s+)?(?:alert\\s+(?:id\\s+)?${alertId}|(?:incident\\s+)?(?:id\\s+)?#?(?<incidentId>(?=[\\w-]*\\d)[A-Za-z0-9][\\w-]{0,127}))\\s*[.?!]?$`,
      'i',
    ),
    help: {
      title: 'Investigate an incident',
      description:
        'Assessment, attack vector, scope, timeline, related threats, ordered containment steps and evidence to preserve, each finding with its evidence.',
      examples: ['investigate incident 42', 'investigate 42'],
    },
  },
  {
    intent: 'investigateIncidentJson',
    pattern: /^investigate(?:\s+(?:the\s+|this\s+)?incident)?\s*[:-]?\s*(?<json>[{[][\s\S]*)$/i,
    help: {
      title: 'Investigate pasted incident JSON',
      description:
        'Paste a Graph Security incident, a Sentinel SecurityIncident row, an alert or an array of alerts after "investigate".',
      examples: ['investigate {"IncidentNumber": 42, …}'],
    },
  },
  {
    intent: 'reportIncident',
    pattern:
      /^(?:(?:write|give me|make|create)\s+(?:an?\s+|the\s+)?)?(?:incident\s+)?report\s+(?:on\s+|about\s+)?(?:the\s+)?(?:incident\s+)?(?:id\s+)?#?(?<incidentId>(?=[\w-]*\d)[A-Za-z0-9][\w-]{0,127})(?:\s+(?:for|to)\s+(?:the\s+)?(?<audience>executives?|execs?|leadership|management|board|technical(?:\s+(?:team|readers|audience))?|engineers|analysts|regulators?|auditors?))?(?:\s*,?\s+tlp\s*[:\s]\s*(?<tlp>clear|green|amber\+strict|amber|red))?\s*[.?!]?$/i,
    help: {
      title: 'Incident report',
      description:
        'A TLP-marked report for executives, the technical team or the regulator, written from a fresh investigation.',
      examples: [
        'report incident 42 for executives',
        'report incident 42 for technical',
        'report incident 42 for the regulator',
      ],
    },
  },
  {
    intent: 'huntForThreat',
    pattern:
      /^hunt(?:\s+for)?\s+(?<threat>[^\n]{2,300}?)(?:\s+(?:in|on|with)\s+(?<platform>defender|sentinel|advanced hunting))?\s*[.?!]?$/i,
    help: {
      title: 'Hunting queries',
      description:
        'A KQL hunting query for a threat, checked against the real Sentinel or Defender schema, with false positives and tuning advice.',
      examples: ['hunt for encoded PowerShell', 'hunt for LSASS access in defender'],
    },
  },
  {
    intent: 'listIncidents',
    pattern:
      /^(?:(?:list|show)(?:\s+me)?\s+)?(?:the\s+|my\s+)?(?:open\s+|recent\s+|latest\s+|new\s+)?incidents(?<filter>(?:\s+[\w+-]{1,20}){0,8})\s*[.?!]?$/i,
    help: {
      title: 'Browse incidents and alerts',
      description:
        'The newest incidents or alerts from your security data, filtered by severity and time, with buttons to investigate, explain or analyze each.',
      examples: ['incidents', 'alerts high last 24h'],
    },
  },
  {
    intent: 'listAlerts',
    pattern:
      /^(?:(?:list|show)(?:\s+me)?\s+)?(?:the\s+|my\s+)?(?:open\s+|recent\s+|latest\s+|new\s+)?alerts(?<filter>(?:\s+[\w+-]{1,20}){0,8})\s*[.?!]?$/i,
  },
  {
    intent: 'validateQuery',
    pattern:
      /^kql(?:\s+(?:in\s+|for\s+)?(?<platform>defender|sentinel|advanced hunting))?\s*:\s*(?<query>\S[\s\S]{0,19999})$/i,
    help: {
      title: 'Check your KQL',
      description:
        'Paste a query after "kql:" and I check it against the Sentinel (or, with "kql defender:", the Defender) schema: unknown tables and columns, type errors, missing time bounds.',
      examples: ['kql: SigninLogs | where TimeGenerated > ago(1d) | where ResultType != "0"'],
    },
  },
  {
    intent: 'runQuery',
    pattern:
      /^run(?:\s+(?:this\s+|the\s+)?(?:query|kql|hunt))?(?:\s+(?:in|on)\s+(?<platform>defender|sentinel|advanced hunting))?\s*:?\s*(?<query>\S[\s\S]{0,19999})$/i,
    help: {
      title: 'Run a query',
      description:
        'Runs a KQL query against your data (after validating it) and shows the first rows; the Run query button on a hunting card does the same.',
      examples: ['run DeviceProcessEvents | where Timestamp > ago(1d) | where FileName =~ "powershell.exe"'],
    },
  },
  {
    // "kql: <query>" (a pasted query to validate) is not a question.
    intent: 'questionToKql',
    pattern:
      /^kql\s+(?!:)(?<question>[^\n]{2,300}?)(?:\s+(?:in|on)\s+(?<platform>defender|sentinel|advanced hunting))?\s*[.?!]?$/i,
    help: {
      title: 'Questions to KQL',
      description: 'Your question as a time-bounded KQL query, validated before you see it.',
      examples: ['kql failed sign-ins from new countries last 24h'],
    },
  },
  {
    intent: 'analyzeAlertById',
    pattern: new RegExp(`^analy[sz]e\\s+(?:the\\s+|this\\s+)?alert\\s+(?:id\\s+)?${alertId}\\s*[.?!]?$`, 'i'),
    help: {
      title: 'Analyze an alert',
      description:
        'A deep analysis for analysts: ATT&CK techniques with evidence, kill-chain stage, a verdict per entity, related alerts, severity and false-positive assessment, next steps.',
      examples: ['analyze alert da-1004'],
    },
  },
  {
    intent: 'triageQueue',
    pattern:
      /^(?:triage(?:\s+(?:the\s+)?(?:queue|alerts))?(?:\s+(?<severity>high|medium|low))?(?:\s+top\s+(?<top>\d{1,2}))?|what\s+should\s+(?:i|we)\s+(?:look\s+at|work\s+on|start\s+with|do)\s+first|what(?:['’]s|\s+is)\s+most\s+urgent)\s*[.?!]*$/i,
    help: {
      title: 'Triage the queue',
      description:
        'The open alerts ranked by a transparent score (severity, user and device risk, ATT&CK stage, correlation, age), each with Explain / Analyze / Remediate buttons.',
      examples: ['triage', 'what should I look at first?', 'triage high'],
    },
  },
  {
    // "how do I contain this?" names nothing; the thread's memory rewrites it when it knows the subject.
    intent: 'remediateWithoutSubject',
    pattern:
      /^(?:how\s+(?:do|can|should)\s+(?:i|we)\s+(?:contain|remediate|respond\s+to|clean\s+up)|remediate|contain)\s+(?:this|it|that)(?:\s+(?:alert|incident|one))?\s*[.?!]*$/i,
  },
  {
    intent: 'remediateSubject',
    pattern: new RegExp(
      `^(?:remediation|response(?:\\s+guidance)?|containment|remediate|contain|how\\s+(?:do|can|should)\\s+(?:i|we)\\s+(?:contain|remediate|respond\\s+to|clean\\s+up))(?:\\s+(?:for|of|to))?\\s+(?:the\\s+|this\\s+)?(?:alert\\s+(?:id\\s+)?${alertId}|incident\\s+(?:id\\s+)?#?(?<incidentId>[A-Za-z0-9][\\w-]{0,127}))\\s*[.?!]?$`,
      'i',
    ),
    help: {
      title: 'Response guidance',
      description:
        'Ordered, entity-specific containment and remediation steps for an alert or incident: who can do each, where, how to verify it and the risk.',
      examples: ['remediation for alert da-1009', 'how do I contain incident 45?'],
    },
  },
  {
    // "analyze alert <id>" and "analyze incident <id>" belong to other capabilities, not to threat intel.
    intent: 'analyzeIntel',
    pattern:
      /^(?:analy[sz]e|(?:threat\s+)?intel)\s*:?\s+(?!(?:the\s+|this\s+)?(?:alerts?|incidents?)\b)(?<text>[\s\S]{1,20000})$/i,
    help: {
      title: 'Analyze threat intel',
      description:
        'Indicators (defanged is fine) or a threat report: verdicts per indicator from your threat-intel providers, ATT&CK techniques, known groups and software, hunts that fit, and block / watch / ignore recommendations. Pasting indicators works too.',
      examples: ['analyze 203.0.113[.]7 evil[.]example', 'intel <pasted threat report>'],
    },
  },
  {
    intent: 'checkIndicators',
    pattern: /^(?:check|enrich)\s+(?!(?:the\s+|this\s+)?(?:alert|incident)\b)(?<text>[\s\S]{1,20000})$/i,
    help: {
      title: 'Check indicators',
      description:
        'A quick verdict list for IPs, domains, URLs and file hashes from your threat-intel providers, with the ATT&CK techniques the text shows; "analyze" gives the full analysis.',
      examples: ['check 203.0.113[.]7 and hxxps://login-contoso[.]example/reset'],
    },
  },
  {
    // After the alert routes: "explain alert 42" is theirs. The handler confirms the subject is a technique.
    intent: 'describeTechnique',
    pattern:
      /^(?:(?:(?:what|who)(?:\s+is|['’]s|\s+are)|explain|describe|define|tell\s+me\s+about|look\s*up)\s+[^\n]{1,120}|T\d{4}(?:\.\d{3})?(?:\s*(?:,|and|&)\s*T\d{4}(?:\.\d{3})?)*\s*\??)$/i,
    help: {
      title: 'MITRE ATT&CK techniques',
      description: 'What a technique is, its tactics, platforms and log sources, linked to attack.mitre.org.',
      examples: ['what is T1566.001', 'what is kerberoasting'],
    },
  },
  {
    // After describeTechnique (whose handler passes "what is <not a technique>" here) and the remediation routes.
    intent: 'askQuestion',
    pattern:
      /^(?:(?:(?:what(?:['’]s|\s+is|\s+are)\s+)?(?:the\s+)?differences?\s+between|compare|explain\s+the\s+difference\s+between|how\s+(?:does|do|is|are|can|would)|why\s+(?:is|are|do|does)|what\s+(?:does|do|was|were))\s+[^\n]{1,200}|[^\n]{2,60}\s+(?:vs\.?|versus)\s+[^\n]{2,60})$/i,
    help: {
      title: 'Security concepts',
      description:
        'What an attack or security concept means, from MITRE ATT&CK when it covers it (description, detection, mitigations), and a plain "no grounded source" when it does not.',
      examples: ['difference between pass-the-hash and pass-the-ticket', 'how does DCSync work?'],
    },
  },
];

export interface RouteMatch {
  intent: MessageIntent;
  groups: Record<string, string | undefined>;
}

export function matchMessageRoute(text: string): RouteMatch | undefined {
  for (const route of messageRoutes) {
    const match = route.pattern.exec(text);
    if (match) return { intent: route.intent, groups: { ...(match.groups ?? {}) } };
  }
  return undefined;
}

export function helpEntries(): HelpEntry[] {
  return messageRoutes.flatMap((route) => (route.help ? [route.help] : []));
}

/** Card verbs (Action.Execute) the bot answers; names shared with the card builders (src/cards/verbs.ts). */
export const cardVerbs = [
  'explainAlert',
  'showHelp',
  'runHuntQuery',
  'runCommand',
  'analyzeAlert',
  'remediateAlert',
  'remediateIncident',
  'huntIndicator',
  'huntThreat',
  'investigateAlert',
  'investigateIncident',
  'reportIncident',
] as const satisfies readonly Verb[];
export type CardVerb = (typeof cardVerbs)[number];
