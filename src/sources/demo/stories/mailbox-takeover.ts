import { addresses, analysts, attackerDomains, people } from '../directory';
import type { DemoTimeline } from '../fake-identifiers';
import { fakeGuid } from '../fake-identifiers';
import type { IncidentSpec, MessageSpec } from '../graph-shapes';
import {
  analyzedMessageEvidence,
  cloudApplicationEvidence,
  externalMailboxEvidence,
  ipEvidence,
  mailboxEvidence,
  urlEvidence,
  userEvidence,
} from '../graph-shapes';

/**
 * Incident 42, about four days ago: a payroll-themed phishing e-mail, a click on the credential harvesting page,
 * a sign-in to the mailbox from an anonymizing proxy, then an inbox rule that forwards supplier invoices
 * out of the company and hides the replies: the set-up for invoice fraud.
 */
export function mailboxTakeoverIncident(time: DemoTimeline): IncidentSpec {
  const victim = people.priya;
  const phishingUrl = `https://${attackerDomains.payrollPhish}/m365/login?session=4b1f9e`;
  const message: MessageSpec = {
    networkMessageId: fakeGuid('message:payroll-phish'),
    subject: 'Action required: confirm your direct deposit details before Friday',
    sender: `payroll-notice@${attackerDomains.payrollPhish}`,
    senderIp: addresses.phishingRelay,
    recipient: victim,
    urls: [phishingUrl],
    receivedAt: time.minutesAgo(5655),
    threats: ['Phish'],
    deliveryAction: 'delivered',
    deliveryLocation: 'inbox',
  };
  const forwardingAddress = `ap-archive@${attackerDomains.mailboxArchive}`;

  return {
    id: '42',
    displayName: 'Phishing leads to mailbox takeover and external forwarding rule involving one user',
    description:
      'A payroll-themed phishing e-mail reached a Finance user, who opened the credential harvesting page. ' +
      'About two hours later the mailbox was accessed from an anonymizing proxy and an inbox rule began ' +
      'forwarding supplier invoices to an external address.',
    status: 'inProgress',
    assignedTo: analysts.jordan,
    classification: 'truePositive',
    determination: 'phishing',
    customTags: ['Finance', 'BEC'],
    alerts: [
      {
        id: 'fa-3001',
        product: 'office',
        title: 'A potentially malicious URL click was detected',
        description:
          'A user clicked a link in an e-mail that was later found to be malicious. The page imitates the ' +
          'Microsoft 365 sign-in page and harvests credentials.',
        recommendedActions:
          'Confirm with the user whether credentials were entered. If so, reset the password, revoke refresh ' +
          'tokens and review sign-ins and inbox rules since the click.',
        severity: 'high',
        status: 'resolved',
        category: 'InitialAccess',
        techniques: ['T1566.002', 'T1204.001'],
        activity: { startedMinutesAgo: 5640 },
        evidence: [
          userEvidence(victim, { roles: ['compromised'], verdict: 'suspicious' }),
          urlEvidence(phishingUrl, { roles: ['attacker'], verdict: 'malicious', detailedRoles: ['Clicked URL'] }),
          analyzedMessageEvidence(message, { verdict: 'malicious' }),
          mailboxEvidence(victim, { roles: ['compromised'] }),
        ],
        assignedTo: analysts.jordan,
        classification: 'truePositive',
        determination: 'phishing',
      },
      {
        id: 'fa-3002',
        product: 'office',
        title: 'Email messages containing malicious URL removed after delivery',
        description:
          'Messages containing a malicious URL were delivered and later removed by zero-hour auto purge (ZAP). ' +
          '14 mailboxes received the campaign; one recipient clicked the link before removal.',
        recommendedActions:
          'Review the other recipients for clicks, block the sender domain in the Tenant Allow/Block List and ' +
          'submit the message to Microsoft for analysis.',
        severity: 'medium',
        status: 'resolved',
        category: 'InitialAccess',
        techniques: ['T1566.002'],
        activity: { startedMinutesAgo: 5655, endedMinutesAgo: 5610 },
        evidence: [
          analyzedMessageEvidence(
            { ...message, deliveryAction: 'delivered', deliveryLocation: 'deletedFolder' },
            { verdict: 'malicious', remediationStatus: 'remediated' },
          ),
          ipEvidence(addresses.phishingRelay, 'US', { roles: ['source'], verdict: 'suspicious' }),
          urlEvidence(phishingUrl, { roles: ['attacker'], verdict: 'malicious' }),
        ],
        classification: 'truePositive',
        determination: 'phishing',
      },
      {
        id: 'ad-4001',
        product: 'entra',
        title: 'Anonymous IP address',
        description:
          'A sign-in to Exchange Online succeeded from an IP address of an anonymizing proxy service. The sign-in ' +
          'satisfied single-factor authentication from a device the user had never used.',
        recommendedActions:
          'Confirm the risk with the user, revoke sessions, reset the password and require MFA registration ' +
          'review. Consider a Conditional Access policy that blocks anonymous IP sign-ins.',
        severity: 'medium',
        status: 'inProgress',
        category: 'InitialAccess',
        techniques: ['T1078.004', 'T1090.003'],
        activity: { startedMinutesAgo: 5515 },
        evidence: [
          userEvidence(victim, { roles: ['compromised'] }),
          ipEvidence(addresses.anonymousProxy, 'NL', { roles: ['attacker', 'source'], verdict: 'suspicious' }),
          cloudApplicationEvidence('Microsoft Exchange Online', 20893, { roles: ['contextual'] }),
        ],
        assignedTo: analysts.jordan,
      },
      {
        id: 'ca-5001',
        product: 'cloudApps',
        title: 'Suspicious inbox forwarding rule',
        description:
          `A new inbox rule forwards messages containing "invoice", "remittance" or "wire" to ${forwardingAddress} ` +
          'and deletes the originals. The rule was created from the same anonymizing IP address as the sign-in.',
        recommendedActions:
          'Remove the rule, block external auto-forwarding with an outbound spam policy, and check with Accounts ' +
          'Payable whether supplier bank details were changed recently.',
        severity: 'high',
        status: 'inProgress',
        category: 'Collection',
        techniques: ['T1114.003'],
        activity: { startedMinutesAgo: 5460 },
        evidence: [
          mailboxEvidence(victim, { roles: ['compromised'] }),
          userEvidence(victim, { roles: ['compromised'] }),
          ipEvidence(addresses.anonymousProxy, 'NL', { roles: ['attacker'] }),
          externalMailboxEvidence(forwardingAddress, { roles: ['destination'], verdict: 'malicious' }),
        ],
        assignedTo: analysts.jordan,
      },
      {
        id: 'sn-6001',
        product: 'sentinel',
        title: 'Malicious inbox rule hides messages from suppliers',
        description:
          'Analytics rule "Malicious Inbox Manipulation": a rule moves messages from known supplier domains to ' +
          'RSS Subscriptions and marks them read, so replies about changed payment details go unseen.',
        recommendedActions:
          'Remove the rule and review OfficeActivity for New-InboxRule and Set-InboxRule operations by this user ' +
          'in the last 30 days.',
        severity: 'medium',
        status: 'new',
        category: 'DefenseEvasion',
        techniques: ['T1564.008', 'T1114.003'],
        activity: { startedMinutesAgo: 5455 },
        evidence: [
          userEvidence(victim, { roles: ['compromised'] }),
          ipEvidence(addresses.anonymousProxy, 'NL', { roles: ['attacker'] }),
          cloudApplicationEvidence('Microsoft Exchange Online', 20893, { roles: ['contextual'] }),
        ],
      },
    ],
  };
}
