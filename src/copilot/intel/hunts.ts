import type { Indicator } from '../../intel/enrichment';
import { urlHost } from '../../intel/enrichment/indicator';
import { huntingTemplates, type HuntPlatform } from '../../kql/templates';
import { checkHuntQuery } from '../hunt/check';
import { scoreTemplates } from '../hunt/offline';
import type { HuntingQueryResult, KqlValidate } from '../hunt/schema';
import type { AttackFacts } from '../knowledge';
import type { AnalyzedIndicator, IntelAction, IntelHunt } from './schema';

const maximumTemplateHunts = 3;
/** Templates that an indicator type suggests on its own, whatever the text says. */
const templatesByIndicatorType: Record<string, ReadonlyArray<AnalyzedIndicator['type']>> = {
  beaconing: ['ipv4', 'ipv6', 'domain'],
};
const maximumIndicatorHunts = 5;
/** Below this the template matched on one generic word only. */
const minimumTemplateScore = 2;

/**
 * The hunting templates that fit the text (by keywords and the techniques it shows), and a sweep of your
 * logs for each indicator worth watching or blocking. Each comes with a one-line "hunt for …" suggestion and
 * the request that runs it.
 */
export function suggestHunts(
  text: string,
  techniqueIds: readonly string[],
  indicators: readonly AnalyzedIndicator[],
  actions: readonly IntelAction[],
  attack: AttackFacts,
): IntelHunt[] {
  const hunts: IntelHunt[] = [];
  const scores = new Map<string, number>();
  for (const entry of scoreTemplates(text.slice(0, 20_000), attack)) scores.set(entry.template.id, entry.score);
  for (const template of huntingTemplates) {
    const shared = template.techniques.filter((id) => techniqueIds.includes(id)).length;
    if (shared > 0) scores.set(template.id, (scores.get(template.id) ?? 0) + 3 * shared);
  }
  // Indicator types point at hunts of their own: an external address or name worth watching may be a C2
  // server, which beaconing finds even when the exact value changes.
  const worthWatching = (indicator: AnalyzedIndicator): boolean =>
    actions.some((action) => action.indicator === indicator.value && action.action !== 'ignore');
  for (const [templateId, types] of Object.entries(templatesByIndicatorType)) {
    if (indicators.some((indicator) => types.includes(indicator.type) && worthWatching(indicator))) {
      scores.set(templateId, (scores.get(templateId) ?? 0) + minimumTemplateScore);
    }
  }
  const ranked = [...scores]
    .filter(([, score]) => score >= minimumTemplateScore)
    .sort((left, right) => right[1] - left[1])
    .slice(0, maximumTemplateHunts);
  for (const [id] of ranked) {
    const template = huntingTemplates.find((candidate) => candidate.id === id);
    if (template === undefined) continue;
    hunts.push({
      kind: 'template',
      title: template.title,
      suggestion: `Hunt for ${lowerFirst(template.title)} — ${template.description}`,
      request: template.keywords[0] ?? template.title,
      templateId: template.id,
      techniques: [...template.techniques],
    });
  }

  const worthSweeping = indicators.filter((indicator) => {
    const action = actions.find((candidate) => candidate.indicator === indicator.value)?.action;
    return action === 'block' || action === 'watch';
  });
  for (const indicator of worthSweeping.slice(0, maximumIndicatorHunts)) {
    hunts.push({
      kind: 'indicator',
      title: `Sightings of ${indicator.value}`,
      suggestion: `Hunt for ${indicator.value} in ${sweptLogs[indicator.type]} over the last 7 days.`,
      request: indicator.value,
      indicator: { type: indicator.type, value: indicator.value },
      techniques: [],
    });
  }
  return hunts;
}

/** "Encoded PowerShell commands" → "encoded PowerShell commands"; names like "PowerShell" or "DCSync" stay. */
function lowerFirst(value: string): string {
  return /^[A-Z][a-z]+(?![A-Za-z]*[A-Z])\b/.test(value) ? value.charAt(0).toLowerCase() + value.slice(1) : value;
}

const sweptLogs: Record<Indicator['type'], string> = {
  ipv4: 'network, sign-in, e-mail and firewall logs',
  ipv6: 'network, sign-in, e-mail and firewall logs',
  domain: 'DNS, network, proxy and e-mail logs',
  url: 'e-mail, URL click, network and proxy logs',
  md5: 'file, process and image-load events',
  sha1: 'file, process and image-load events',
  sha256: 'file, process, image-load and e-mail attachment events',
};

interface Branch {
  table: string;
  platforms: HuntPlatform[];
  where: string;
  device: string;
  account: string;
  detail: string;
}

const both: HuntPlatform[] = ['sentinel', 'defender'];

function addressBranches(): Branch[] {
  return [
    {
      table: 'DeviceNetworkEvents',
      platforms: both,
      where: 'RemoteIP == indicator or LocalIP == indicator',
      device: 'DeviceName',
      account: 'InitiatingProcessAccountName',
      detail: 'strcat(InitiatingProcessFileName, " ", RemoteIP, ":", tostring(RemotePort), " ", RemoteUrl)',
    },
    {
      table: 'CommonSecurityLog',
      platforms: ['sentinel'],
      where: 'SourceIP == indicator or DestinationIP == indicator',
      device: 'DeviceName',
      account: 'SourceUserName',
      detail: 'strcat(SourceIP, " -> ", DestinationIP, ":", tostring(DestinationPort), " ", DeviceAction)',
    },
    {
      table: 'SigninLogs',
      platforms: ['sentinel'],
      where: 'IPAddress == indicator',
      device: 'AppDisplayName',
      account: 'UserPrincipalName',
      detail: 'strcat("sign-in result ", tostring(ResultType))',
    },
    {
      table: 'EmailEvents',
      platforms: both,
      where: 'SenderIPv4 == indicator or SenderIPv6 == indicator',
      device: 'SenderFromDomain',
      account: 'RecipientEmailAddress',
      detail: 'Subject',
    },
    {
      table: 'IdentityLogonEvents',
      platforms: ['defender'],
      where: 'IPAddress == indicator',
      device: 'DeviceName',
      account: 'AccountUpn',
      detail: 'strcat(ActionType, " ", LogonType)',
    },
  ];
}

function domainBranches(): Branch[] {
  return [
    {
      table: 'DeviceNetworkEvents',
      platforms: both,
      where: 'RemoteUrl has indicator',
      device: 'DeviceName',
      account: 'InitiatingProcessAccountName',
      detail: 'strcat(InitiatingProcessFileName, " ", RemoteUrl, " ", RemoteIP)',
    },
    {
      table: 'DnsEvents',
      platforms: ['sentinel'],
      where: 'Name =~ indicator or Name endswith strcat(".", indicator)',
      device: 'Computer',
      account: 'ClientIP',
      detail: 'strcat(Name, " -> ", IPAddresses)',
    },
    {
      table: 'CommonSecurityLog',
      platforms: ['sentinel'],
      where: 'DestinationHostName has indicator or RequestURL has indicator',
      device: 'DeviceName',
      account: 'SourceUserName',
      detail: 'strcat(SourceIP, " -> ", RequestURL, " ", DeviceAction)',
    },
    {
      table: 'EmailUrlInfo',
      platforms: both,
      where: 'UrlDomain =~ indicator or UrlDomain endswith strcat(".", indicator)',
      device: 'UrlLocation',
      account: 'NetworkMessageId',
      detail: 'Url',
    },
  ];
}

function urlBranches(): Branch[] {
  return [
    {
      table: 'EmailUrlInfo',
      platforms: both,
      where: 'Url == indicator',
      device: 'UrlLocation',
      account: 'NetworkMessageId',
      detail: 'Url',
    },
    {
      table: 'UrlClickEvents',
      platforms: both,
      where: 'Url == indicator or UrlChain has indicator',
      device: 'Workload',
      account: 'AccountUpn',
      detail: 'strcat(ActionType, " ", Url)',
    },
    {
      table: 'DeviceNetworkEvents',
      platforms: both,
      where: 'RemoteUrl has host',
      device: 'DeviceName',
      account: 'InitiatingProcessAccountName',
      detail: 'strcat(InitiatingProcessFileName, " ", RemoteUrl, " ", RemoteIP)',
    },
  ];
}

const hashColumns: Record<'md5' | 'sha1' | 'sha256', string> = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' };

function hashBranches(type: 'md5' | 'sha1' | 'sha256'): Branch[] {
  const column = hashColumns[type];
  const branches: Branch[] = [
    {
      table: 'DeviceFileEvents',
      platforms: both,
      where: `${column} == indicator`,
      device: 'DeviceName',
      account: 'InitiatingProcessAccountName',
      detail: 'strcat(ActionType, " ", FolderPath)',
    },
    {
      table: 'DeviceProcessEvents',
      platforms: both,
      where: `${column} == indicator`,
      device: 'DeviceName',
      account: 'AccountName',
      detail: 'ProcessCommandLine',
    },
    {
      table: 'DeviceImageLoadEvents',
      platforms: both,
      where: `${column} == indicator`,
      device: 'DeviceName',
      account: 'InitiatingProcessAccountName',
      detail: 'strcat(InitiatingProcessFileName, " loaded ", FolderPath)',
    },
  ];
  if (type === 'sha256') {
    branches.push({
      table: 'EmailAttachmentInfo',
      platforms: both,
      where: 'SHA256 == indicator',
      device: 'SenderFromAddress',
      account: 'RecipientEmailAddress',
      detail: 'FileName',
    });
  }
  return branches;
}

function branchesFor(indicator: Indicator): Branch[] {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return addressBranches();
    case 'domain':
      return domainBranches();
    case 'url':
      return urlBranches();
    default:
      return hashBranches(indicator.type);
  }
}

/** A KQL verbatim string: nothing is an escape in it except a doubled quote. */
function kqlString(value: string): string {
  return `@"${value.replace(/"/g, '""')}"`;
}

/** The sweep query for one indicator: every table that can hold it, one row per sighting, newest first. */
export function indicatorHuntQuery(indicator: Indicator, platform: HuntPlatform): string {
  const time = platform === 'defender' ? 'Timestamp' : 'TimeGenerated';
  const lets = ['let lookback = 7d;', `let indicator = ${kqlString(indicator.value)};`];
  if (indicator.type === 'url') lets.push(`let host = ${kqlString(urlHost(indicator.value) ?? indicator.value)};`);
  const branches = branchesFor(indicator)
    .filter((branch) => branch.platforms.includes(platform))
    .map((branch) =>
      [
        `    (${branch.table}`,
        `    | where ${time} > ago(lookback)`,
        `    | where ${branch.where}`,
        `    | project ${time}, Source = "${branch.table}", Device = tostring(${branch.device}), Account = tostring(${branch.account}), Detail = tostring(${branch.detail}))`,
      ].join('\n'),
    );
  return [...lets, 'union isfuzzy=true', branches.join(',\n'), `| sort by ${time} desc`].join('\n');
}

/**
 * "Hunt for this" on an indicator: the sweep query, validated for the platform like every hunting query,
 * with what it finds and how to read it. Deterministic; no LLM is involved.
 */
export function huntForIndicator(
  indicator: Indicator,
  platform: HuntPlatform,
  validate: KqlValidate,
): { result: HuntingQueryResult; notes: string[] } {
  const query = indicatorHuntQuery(indicator, platform);
  const check = checkHuntQuery(query, platform, validate);
  const notes = check.ok
    ? []
    : ['The sweep query did not pass validation against the current schema; review it before running it.'];
  const tables = branchesFor(indicator)
    .filter((branch) => branch.platforms.includes(platform))
    .map((branch) => branch.table);
  return {
    result: {
      query,
      platform,
      validation: { status: check.ok ? 'validated' : 'unvalidated', diagnostics: check.diagnostics },
      detects: `Every sighting of ${indicator.value} in ${sweptLogs[indicator.type]} (${tables.join(', ')}) over the last 7 days.`,
      expectedFalsePositives: falsePositives(indicator),
      tuning: [
        'Change `let lookback = 7d;` to look further back; the tables keep what your retention allows.',
        'Tables you do not collect are skipped (union isfuzzy=true); an empty result can also mean the data is not there.',
      ],
      explanation:
        'The query unions the tables that can hold this indicator, keeps rows within the lookback that match it, and lists them newest first with the device, account and a detail column.',
      techniques: [],
    },
    notes,
  };
}

function falsePositives(indicator: Indicator): string[] {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return ['Shared hosting, CDN and cloud addresses serve many unrelated sites; a hit may be a different tenant.'];
    case 'domain':
    case 'url':
      return ['Security products and mail filters that fetch URLs to scan them show up as connections too.'];
    default:
      return ['Security tools copying or scanning the file create file events without the file running.'];
  }
}
