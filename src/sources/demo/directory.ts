import { fakeGuid, fakeMdeDeviceId } from './fake-identifiers';

/**
 * The fictional Contoso organisation behind the demo: people, devices and the network addresses the stories
 * use. External addresses come from the documentation ranges (RFC 5737) and attacker domains end in
 * `.example` (RFC 2606), so nothing here points at real infrastructure.
 */

export interface DemoPerson {
  userPrincipalName: string;
  displayName: string;
  samAccountName: string;
  department: string;
  jobTitle: string;
  manager?: string;
  riskLevel: 'none' | 'low' | 'medium' | 'high';
  isPrivileged: boolean;
  /** Relative id within the domain SID, so every account has a distinct, stable SID. */
  relativeId: number;
}

const domainSid = 'S-1-5-21-3623811015-3361044348-30300820';

export function sidOf(person: DemoPerson): string {
  return `${domainSid}-${person.relativeId}`;
}

export function objectIdOf(person: DemoPerson): string {
  return fakeGuid(`user:${person.userPrincipalName}`);
}

export const people = {
  priya: {
    userPrincipalName: 'priya.raman@contoso.com',
    displayName: 'Priya Raman',
    samAccountName: 'praman',
    department: 'Finance',
    jobTitle: 'Senior Accountant, Accounts Payable',
    manager: 'daniel.okafor@contoso.com',
    riskLevel: 'high',
    isPrivileged: false,
    relativeId: 2311,
  },
  daniel: {
    userPrincipalName: 'daniel.okafor@contoso.com',
    displayName: 'Daniel Okafor',
    samAccountName: 'dokafor',
    department: 'Finance',
    jobTitle: 'Finance Director',
    manager: 'grace.mensah@contoso.com',
    riskLevel: 'none',
    isPrivileged: false,
    relativeId: 1874,
  },
  kenji: {
    userPrincipalName: 'kenji.watanabe@contoso.com',
    displayName: 'Kenji Watanabe',
    samAccountName: 'kwatanabe',
    department: 'Engineering',
    jobTitle: 'Senior Software Engineer',
    manager: 'lena.fischer@contoso.com',
    riskLevel: 'high',
    isPrivileged: false,
    relativeId: 2417,
  },
  marcus: {
    userPrincipalName: 'marcus.lindqvist@contoso.com',
    displayName: 'Marcus Lindqvist',
    samAccountName: 'mlindqvist',
    department: 'IT Operations',
    jobTitle: 'Systems Administrator',
    manager: 'tom.becker@contoso.com',
    riskLevel: 'medium',
    isPrivileged: false,
    relativeId: 1532,
  },
  marcusAdmin: {
    userPrincipalName: 'adm-mlindqvist@contoso.com',
    displayName: 'Marcus Lindqvist (admin)',
    samAccountName: 'adm-mlindqvist',
    department: 'IT Operations',
    jobTitle: 'Tier 0 administrative account (Domain Admins)',
    manager: 'tom.becker@contoso.com',
    riskLevel: 'high',
    isPrivileged: true,
    relativeId: 1533,
  },
  sqlService: {
    userPrincipalName: 'svc-sqlreport@contoso.com',
    displayName: 'SQL Reporting Services service account',
    samAccountName: 'svc-sqlreport',
    department: 'IT Operations',
    jobTitle: 'Service account (MSSQLSvc/sql01.contoso.com:1433)',
    manager: 'marcus.lindqvist@contoso.com',
    riskLevel: 'medium',
    isPrivileged: false,
    relativeId: 1190,
  },
  hannah: {
    userPrincipalName: 'hannah.brooks@contoso.com',
    displayName: 'Hannah Brooks',
    samAccountName: 'hbrooks',
    department: 'Human Resources',
    jobTitle: 'HR Business Partner',
    manager: 'grace.mensah@contoso.com',
    riskLevel: 'high',
    isPrivileged: false,
    relativeId: 2088,
  },
  olivia: {
    userPrincipalName: 'olivia.chen@contoso.com',
    displayName: 'Olivia Chen',
    samAccountName: 'ochen',
    department: 'Legal',
    jobTitle: 'Corporate Counsel',
    manager: 'grace.mensah@contoso.com',
    riskLevel: 'low',
    isPrivileged: false,
    relativeId: 1960,
  },
  sofia: {
    userPrincipalName: 'sofia.alvarez@contoso.com',
    displayName: 'Sofia Alvarez',
    samAccountName: 'salvarez',
    department: 'Sales',
    jobTitle: 'Regional Sales Director, EMEA',
    manager: 'grace.mensah@contoso.com',
    riskLevel: 'low',
    isPrivileged: false,
    relativeId: 1745,
  },
  ahmed: {
    userPrincipalName: 'ahmed.haddad@contoso.com',
    displayName: 'Ahmed Haddad',
    samAccountName: 'ahaddad',
    department: 'Cloud Platform',
    jobTitle: 'Cloud Platform Engineer (Owner on the production subscription)',
    manager: 'tom.becker@contoso.com',
    riskLevel: 'medium',
    isPrivileged: true,
    relativeId: 2254,
  },
  tom: {
    userPrincipalName: 'tom.becker@contoso.com',
    displayName: 'Tom Becker',
    samAccountName: 'tbecker',
    department: 'IT Operations',
    jobTitle: 'Head of IT Operations',
    manager: 'grace.mensah@contoso.com',
    riskLevel: 'none',
    isPrivileged: true,
    relativeId: 1101,
  },
} satisfies Record<string, DemoPerson>;

/** The SOC analysts incidents are assigned to; they are not part of any story. */
export const analysts = {
  jordan: 'jordan.lee@contoso.com',
  amara: 'amara.nwosu@contoso.com',
};

export interface DemoDevice {
  dnsName: string;
  mdeDeviceId: string;
  azureAdDeviceId: string;
  osPlatform: string;
  osBuild: number;
  ipAddress: string;
  rbacGroupName: string;
}

function device(
  dnsName: string,
  osPlatform: string,
  osBuild: number,
  ipAddress: string,
  rbacGroupName: string,
): DemoDevice {
  return {
    dnsName,
    mdeDeviceId: fakeMdeDeviceId(dnsName),
    azureAdDeviceId: fakeGuid(`aad-device:${dnsName}`),
    osPlatform,
    osBuild,
    ipAddress,
    rbacGroupName,
  };
}

export const devices = {
  kenjiWorkstation: device('eng-wks-022.contoso.com', 'Windows11', 22631, '10.20.4.37', 'Engineering workstations'),
  sqlServer: device('sql01.contoso.com', 'WindowsServer2019', 17763, '10.20.1.21', 'Tier 1 servers'),
  domainController: device('dc01.contoso.com', 'WindowsServer2022', 20348, '10.20.1.5', 'Tier 0 servers'),
  fileServer: device('fs01.contoso.com', 'WindowsServer2019', 17763, '10.20.1.30', 'Tier 1 servers'),
};

/** Network addresses with the role each plays in the stories. */
export const addresses = {
  headquartersEgress: '192.0.2.10',
  corporateVpn: '192.0.2.11',
  phishingRelay: '198.51.100.23',
  anonymousProxy: '203.0.113.77',
  commandAndControl: '203.0.113.45',
  passwordSpraySource: '198.51.100.140',
  mfaFatigueSource: '203.0.113.201',
  madridHotel: '198.51.100.77',
  consumerVpn: '203.0.113.9',
  cloudAttacker: '198.51.100.200',
};

export const attackerDomains = {
  payrollPhish: 'contoso-payroll-update.example',
  commandAndControl: 'cdn-telemetry-sync.example',
  isoLure: 'shared-docs-portal.example',
  mailboxArchive: 'mailbox-archive.example',
  miningPool: 'pool.hashrate-hub.example',
};
