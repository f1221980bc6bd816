import { addresses, attackerDomains, people } from '../directory';
import type { DemoTimeline } from '../fake-identifiers';
import type { IncidentSpec } from '../graph-shapes';
import {
  azureResourceEvidence,
  cloudApplicationEvidence,
  ipEvidence,
  urlEvidence,
  userEvidence,
} from '../graph-shapes';

const subscription = '/subscriptions/5f2c8a41-7d3e-4b6a-9c1f-0e8d7b6a5c4d';
const batchResourceGroup = `${subscription}/resourceGroups/rg-ml-batch-westeurope`;

/**
 * Incident 49, about half a day ago: a cloud engineer's account signs in to the Azure portal from a new country,
 * deploys a burst of GPU virtual machines, and those machines start talking to a mining pool.
 */
export function cloudMiningIncident(_time: DemoTimeline): IncidentSpec {
  const engineer = people.ahmed;
  const attackerIp = ipEvidence(addresses.cloudAttacker, 'SG', { roles: ['attacker'], verdict: 'suspicious' });
  const gpuVirtualMachines = [7, 8, 9, 10].map((index) =>
    azureResourceEvidence(
      `${batchResourceGroup}/providers/Microsoft.Compute/virtualMachines/gpu-batch-${String(index).padStart(2, '0')}`,
      'Microsoft.Compute/virtualMachines',
      { roles: ['created'], verdict: 'suspicious' },
    ),
  );

  return {
    id: '49',
    displayName: 'Cryptocurrency mining in Azure subscription after a suspicious sign-in',
    description:
      'ahmed.haddad signed in to the Azure portal from Singapore without a prior history there, created four ' +
      'GPU virtual machines in an unused resource group within 30 minutes, and the machines started connecting ' +
      'to a cryptocurrency mining pool.',
    status: 'active',
    customTags: ['Cloud'],
    alerts: [
      {
        id: 'sn-6007',
        product: 'sentinel',
        title: 'Privileged Azure sign-in from a new country',
        description:
          'Analytics rule: a user with the Owner role on a production subscription signed in to the Azure portal ' +
          'from a country not seen for this user in the last 30 days.',
        recommendedActions:
          'Confirm with the user; if not them, revoke sessions, reset credentials and review AzureActivity for ' +
          'the session.',
        severity: 'medium',
        status: 'new',
        category: 'InitialAccess',
        techniques: ['T1078.004'],
        activity: { startedMinutesAgo: 805 },
        evidence: [
          userEvidence(engineer, { roles: ['compromised'] }),
          attackerIp,
          cloudApplicationEvidence('Microsoft Azure Portal', 12260, { roles: ['contextual'], verdict: 'unknown' }),
        ],
      },
      {
        id: 'sn-6008',
        product: 'sentinel',
        title: 'Suspicious number of resource creation or deployment activities',
        description:
          'Analytics rule: 17 resource deployments in 30 minutes by one caller, against a daily baseline of 2. ' +
          'Deployments include four Standard_NC24ads_A100_v4 virtual machines.',
        recommendedActions:
          'Stop and snapshot the new virtual machines, then remove them once evidence is preserved; review the ' +
          "caller's role assignments.",
        severity: 'medium',
        status: 'new',
        category: 'Impact',
        techniques: ['T1496.001'],
        activity: { startedMinutesAgo: 790, endedMinutesAgo: 760 },
        evidence: [userEvidence(engineer, { roles: ['compromised'] }), attackerIp, ...gpuVirtualMachines],
      },
      {
        id: 'dc-7001',
        product: 'cloud',
        title: 'Digital currency mining related behavior detected',
        description:
          'Analysis of host data on gpu-batch-07 detected a process connecting to a known mining pool over ' +
          'the stratum protocol.',
        recommendedActions: 'Isolate the virtual machines and rotate any secrets they could read.',
        severity: 'high',
        status: 'new',
        category: 'Impact',
        techniques: ['T1496.001'],
        activity: { startedMinutesAgo: 720, endedMinutesAgo: 700 },
        evidence: [
          gpuVirtualMachines[0],
          urlEvidence(`stratum+tcp://${attackerDomains.miningPool}:3333`, {
            roles: ['destination'],
            verdict: 'malicious',
          }),
        ],
      },
    ],
  };
}
