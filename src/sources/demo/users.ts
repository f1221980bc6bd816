import { UserContextSchema } from '../model';
import type { SignIn, UserContext } from '../model';
import type { DemoPerson } from './directory';
import { addresses, people } from './directory';
import type { DemoTimeline } from './fake-identifiers';

/**
 * User context as the Graph adapter will assemble it (profile, manager, Entra ID Protection risk, recent
 * sign-ins). The sign-ins line up with the stories: ordinary office sign-ins, then the attacker's.
 */

interface SignInSpec {
  minutesAgo: number;
  ipAddress: string;
  location: string;
  application: string;
  failureReason?: string;
}

const office = { ipAddress: addresses.headquartersEgress, location: 'Seattle, Washington, US' };
const vpn = { ipAddress: addresses.corporateVpn, location: 'Seattle, Washington, US' };

function signIns(time: DemoTimeline, specs: SignInSpec[]): SignIn[] {
  return specs
    .map((spec) => ({
      time: time.minutesAgo(spec.minutesAgo),
      ipAddress: spec.ipAddress,
      location: spec.location,
      application: spec.application,
      succeeded: spec.failureReason === undefined,
      failureReason: spec.failureReason,
    }))
    .sort((left, right) => right.time.localeCompare(left.time));
}

function context(person: DemoPerson, recentSignIns: SignIn[]): UserContext {
  return UserContextSchema.parse({
    userPrincipalName: person.userPrincipalName,
    displayName: person.displayName,
    department: person.department,
    jobTitle: person.jobTitle,
    manager: person.manager,
    riskLevel: person.riskLevel,
    isPrivileged: person.isPrivileged,
    recentSignIns,
  });
}

const invalidPassword = 'Invalid username or password (50126)';
const mfaDenied = 'Strong authentication was denied by the user (500121)';

export function buildDemoUsers(time: DemoTimeline): UserContext[] {
  const outlook = 'Microsoft Outlook';
  const teams = 'Microsoft Teams';
  return [
    context(
      people.priya,
      signIns(time, [
        { minutesAgo: 120, ...office, application: outlook },
        {
          minutesAgo: 5515,
          ipAddress: addresses.anonymousProxy,
          location: 'Amsterdam, NL',
          application: 'Office 365 Exchange Online',
        },
        { minutesAgo: 5700, ...office, application: outlook },
        { minutesAgo: 7100, ...office, application: teams },
      ]),
    ),
    context(
      people.daniel,
      signIns(time, [
        { minutesAgo: 95, ...office, application: outlook },
        {
          minutesAgo: 4310,
          ipAddress: addresses.passwordSpraySource,
          location: 'São Paulo, BR',
          application: 'Office 365',
          failureReason: invalidPassword,
        },
        { minutesAgo: 4400, ...vpn, application: teams },
      ]),
    ),
    context(
      people.kenji,
      signIns(time, [
        { minutesAgo: 600, ...vpn, application: 'Windows Sign In' },
        { minutesAgo: 2900, ...office, application: outlook },
        { minutesAgo: 4300, ...office, application: 'Azure DevOps' },
      ]),
    ),
    context(
      people.marcus,
      signIns(time, [
        { minutesAgo: 300, ...office, application: 'Windows Sign In' },
        {
          minutesAgo: 2722,
          ipAddress: '10.20.4.37',
          location: 'Contoso HQ (internal)',
          application: 'Kerberos (eng-wks-022)',
        },
        { minutesAgo: 9000, ...office, application: 'Windows Sign In' },
      ]),
    ),
    context(
      people.marcusAdmin,
      signIns(time, [
        { minutesAgo: 196, ipAddress: '10.20.1.21', location: 'Contoso HQ (internal)', application: 'Kerberos (fs01)' },
        {
          minutesAgo: 1385,
          ipAddress: '10.20.1.21',
          location: 'Contoso HQ (internal)',
          application: 'Kerberos (dc01)',
        },
        {
          minutesAgo: 8600,
          ipAddress: '10.20.8.14',
          location: 'Contoso HQ (internal)',
          application: 'Windows Sign In (paw-03)',
        },
      ]),
    ),
    context(people.sqlService, []),
    context(
      people.hannah,
      signIns(time, [
        {
          minutesAgo: 3497,
          ipAddress: addresses.mfaFatigueSource,
          location: 'Bucharest, RO',
          application: 'Office 365 SharePoint Online',
        },
        {
          minutesAgo: 3505,
          ipAddress: addresses.mfaFatigueSource,
          location: 'Bucharest, RO',
          application: 'Office 365 SharePoint Online',
          failureReason: mfaDenied,
        },
        {
          minutesAgo: 3512,
          ipAddress: addresses.mfaFatigueSource,
          location: 'Bucharest, RO',
          application: 'Office 365 SharePoint Online',
          failureReason: mfaDenied,
        },
        {
          minutesAgo: 4301,
          ipAddress: addresses.passwordSpraySource,
          location: 'São Paulo, BR',
          application: 'Office 365',
          failureReason: 'MFA required (50074)',
        },
        { minutesAgo: 4500, ...office, application: teams },
      ]),
    ),
    context(
      people.olivia,
      signIns(time, [
        { minutesAgo: 240, ...office, application: outlook },
        {
          minutesAgo: 4310,
          ipAddress: addresses.passwordSpraySource,
          location: 'São Paulo, BR',
          application: 'Office 365',
          failureReason: invalidPassword,
        },
      ]),
    ),
    context(
      people.sofia,
      signIns(time, [
        { minutesAgo: 1440, ...vpn, application: 'Salesforce' },
        {
          minutesAgo: 7906,
          ipAddress: addresses.consumerVpn,
          location: 'Seattle, Washington, US',
          application: outlook,
        },
        { minutesAgo: 7920, ipAddress: addresses.madridHotel, location: 'Madrid, ES', application: teams },
      ]),
    ),
    context(
      people.ahmed,
      signIns(time, [
        { minutesAgo: 805, ipAddress: addresses.cloudAttacker, location: 'Singapore, SG', application: 'Azure Portal' },
        { minutesAgo: 1500, ...office, application: 'Azure Portal' },
        { minutesAgo: 2900, ...vpn, application: 'Azure CLI' },
      ]),
    ),
    context(people.tom, signIns(time, [{ minutesAgo: 180, ...office, application: teams }])),
  ];
}
