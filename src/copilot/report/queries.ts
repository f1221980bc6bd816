import type { Investigation } from '../investigate';

/**
 * Follow-up KQL for technical readers: one time-bounded query per kind of indicator in the investigation, built
 * from fixed templates. Values go into KQL verbatim strings with quotes doubled, so an attacker-chosen value
 * cannot end the string.
 */

function kqlString(value: string): string {
  return `@"${value.replace(/"/g, '""')}"`;
}

export interface ReportQuery {
  title: string;
  platform: 'sentinel' | 'defender';
  query: string;
}

export function followUpQueries(investigation: Investigation, lookbackDays = 14): ReportQuery[] {
  const queries: ReportQuery[] = [];
  const ago = `ago(${lookbackDays}d)`;
  const users = investigation.scope.users.map((user) => user.userPrincipalName).slice(0, 5);
  if (users.length > 0) {
    queries.push({
      title: 'Sign-ins of the affected users',
      platform: 'sentinel',
      query: [
        'SigninLogs',
        `| where TimeGenerated > ${ago}`,
        `| where UserPrincipalName in~ (${users.map(kqlString).join(', ')})`,
        '| summarize SignIns = count(), Failures = countif(ResultType != "0") by UserPrincipalName, IPAddress, Location = tostring(LocationDetails.countryOrRegion)',
        '| order by SignIns desc',
      ].join('\n'),
    });
  }
  const assets = investigation.scope.assets;
  const addresses = assets
    .filter((asset) => asset.type === 'ip')
    .map((asset) => asset.value)
    .slice(0, 10);
  if (addresses.length > 0) {
    queries.push({
      title: 'Devices that talked to the attacker addresses',
      platform: 'defender',
      query: [
        'DeviceNetworkEvents',
        `| where Timestamp > ${ago}`,
        `| where RemoteIP in (${addresses.map(kqlString).join(', ')})`,
        '| summarize Connections = count(), FirstSeen = min(Timestamp), LastSeen = max(Timestamp) by DeviceName, RemoteIP',
      ].join('\n'),
    });
  }
  const hosts = assets
    .filter((asset) => asset.type === 'url' || asset.type === 'domain')
    .map((asset) => {
      try {
        return asset.type === 'url' ? new URL(asset.value).hostname : asset.value;
      } catch {
        return asset.value; // not a parseable URL: search for it as written
      }
    })
    .filter((host, index, all) => host !== '' && all.indexOf(host) === index)
    .slice(0, 10);
  if (hosts.length > 0) {
    queries.push({
      title: 'Clicks and connections to the attacker domains',
      platform: 'defender',
      query: [
        'union DeviceNetworkEvents, UrlClickEvents',
        `| where Timestamp > ${ago}`,
        `| where RemoteUrl has_any (${hosts.map(kqlString).join(', ')}) or Url has_any (${hosts.map(kqlString).join(', ')})`,
        '| project Timestamp, DeviceName, AccountUpn, RemoteUrl, Url, ActionType',
      ].join('\n'),
    });
  }
  const devices = assets
    .filter((asset) => asset.type === 'host')
    .map((asset) => asset.value)
    .slice(0, 5);
  if (devices.length > 0) {
    queries.push({
      title: 'Process activity on the affected devices',
      platform: 'defender',
      query: [
        'DeviceProcessEvents',
        `| where Timestamp > ${ago}`,
        `| where DeviceName in~ (${devices.map(kqlString).join(', ')})`,
        '| where InitiatingProcessFileName in~ ("powershell.exe", "cmd.exe", "rundll32.exe", "wmic.exe", "psexesvc.exe")',
        '| project Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine, InitiatingProcessFileName',
      ].join('\n'),
    });
  }
  const alertIds = [...new Set(investigation.timeline.flatMap((event) => event.evidenceIds))]
    .filter((id) => !id.includes('#') && !id.includes(':'))
    .slice(0, 20);
  if (alertIds.length > 0) {
    queries.push({
      title: 'The incident alerts and their entities',
      platform: 'sentinel',
      query: [
        'SecurityAlert',
        `| where TimeGenerated > ${ago}`,
        `| where SystemAlertId in (${alertIds.map(kqlString).join(', ')}) or VendorOriginalId in (${alertIds.map(kqlString).join(', ')})`,
        '| project TimeGenerated, AlertName, AlertSeverity, ProviderName, Entities',
      ].join('\n'),
    });
  }
  return queries.slice(0, 6);
}
