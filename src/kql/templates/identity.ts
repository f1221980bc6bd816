import type { HuntingTemplate } from './types';

/**
 * Entra ID (Azure AD) sign-in abuse. SigninLogs (with geo-coordinates and error codes) exists in Sentinel; Defender
 * advanced hunting has IdentityLogonEvents (Entra ID and Active Directory logons seen by Defender for Identity and
 * Defender for Cloud Apps), enough for failed sign-ins by country and password spray but not for travel speed or
 * MFA result codes, so those two stay Sentinel-only.
 */
export const identityTemplates: HuntingTemplate[] = [
  {
    id: 'failed-signins-new-countries',
    title: 'Failed sign-ins from countries new for the user',
    description:
      'Failed sign-ins from a country the user did not sign in from during the baseline: password guessing or stolen credentials tried from abroad.',
    techniques: ['T1110', 'T1078.004'],
    platforms: {
      sentinel: `let lookback = 1d;
let baseline = 14d;
let knownCountries = SigninLogs
| where TimeGenerated between (ago(baseline) .. ago(lookback))
| where isnotempty(Location)
| summarize KnownCountries = make_set(Location, 100) by UserPrincipalName;
SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType != "0" and isnotempty(Location)
| join kind=leftouter knownCountries on UserPrincipalName
| where isnull(KnownCountries) or not(set_has_element(KnownCountries, Location))
| summarize Failures = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), IpAddresses = make_set(IPAddress, 10), ResultTypes = make_set(ResultType, 10), Applications = make_set(AppDisplayName, 5) by UserPrincipalName, Location
| sort by Failures desc`,
      defender: `let lookback = 1d;
let baseline = 14d;
let knownCountries = IdentityLogonEvents
| where Timestamp between (ago(baseline) .. ago(lookback))
| where isnotempty(Location) and isnotempty(AccountUpn)
| summarize KnownCountries = make_set(Location, 100) by AccountUpn;
IdentityLogonEvents
| where Timestamp > ago(lookback)
| where ActionType == "LogonFailed" and isnotempty(Location) and isnotempty(AccountUpn)
| join kind=leftouter knownCountries on AccountUpn
| where isnull(KnownCountries) or not(set_has_element(KnownCountries, Location))
| summarize Failures = count(), FirstSeen = min(Timestamp), LastSeen = max(Timestamp), IpAddresses = make_set(IPAddress, 10), FailureReasons = make_set(FailureReason, 10), Applications = make_set(Application, 5) by AccountUpn, Location
| sort by Failures desc`,
    },
    keywords: [
      'failed sign-in',
      'failed sign-ins',
      'failed signin',
      'failed login',
      'failed logon',
      'new country',
      'new countries',
      'unusual country',
      'foreign country',
      'sign-in from',
    ],
    expectedFalsePositives: [
      'Travelling users.',
      'VPN or proxy egress in another country.',
      'Users with no sign-in history in the baseline (new joiners).',
    ],
    tuning: [
      'Lengthen the baseline to 30 days for users who travel periodically.',
      'Exclude the egress countries of your VPN provider.',
    ],
  },
  {
    id: 'impossible-travel',
    title: 'Impossible travel between successful sign-ins',
    description:
      'Two successful sign-ins by the same user from places too far apart to travel between in the time elapsed.',
    techniques: ['T1078.004'],
    platforms: {
      sentinel: `let lookback = 1d;
let maximumSpeedKmh = 900.0;
SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType == "0"
| extend Latitude = todouble(LocationDetails.geoCoordinates.latitude), Longitude = todouble(LocationDetails.geoCoordinates.longitude), Country = tostring(LocationDetails.countryOrRegion)
| where isnotnull(Latitude) and isnotnull(Longitude)
| project TimeGenerated, UserPrincipalName, IPAddress, Country, Latitude, Longitude
| sort by UserPrincipalName asc, TimeGenerated asc
| extend PreviousUser = prev(UserPrincipalName), PreviousTime = prev(TimeGenerated), PreviousIp = prev(IPAddress), PreviousCountry = prev(Country), PreviousLatitude = prev(Latitude), PreviousLongitude = prev(Longitude)
| where PreviousUser == UserPrincipalName and PreviousCountry != Country
| extend DistanceKm = geo_distance_2points(Longitude, Latitude, PreviousLongitude, PreviousLatitude) / 1000.0, Hours = datetime_diff('second', TimeGenerated, PreviousTime) / 3600.0
| extend SpeedKmh = iff(Hours > 0.0, DistanceKm / Hours, DistanceKm * 3600.0)
| where DistanceKm > 500.0 and SpeedKmh > maximumSpeedKmh
| project TimeGenerated, UserPrincipalName, PreviousTime, PreviousCountry, PreviousIp, Country, IPAddress, DistanceKm, SpeedKmh`,
    },
    keywords: ['impossible travel', 'travel', 'geo', 'two countries', 'location anomaly', 'atypical travel'],
    expectedFalsePositives: [
      'VPN or cloud proxies that change egress location.',
      'Mobile networks with distant gateways.',
    ],
    tuning: [
      'Exclude your VPN and proxy egress IP ranges.',
      'Require the second sign-in to be from an IP the user has not used before.',
    ],
  },
  {
    id: 'password-spray',
    title: 'Password spray against Entra ID',
    description:
      'One IP address failing sign-ins with a wrong password (error 50126) for many different accounts in a short time.',
    techniques: ['T1110.003'],
    platforms: {
      sentinel: `let lookback = 1d;
let accountThreshold = 10;
SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType == "50126"
| summarize Accounts = dcount(UserPrincipalName), Attempts = count(), SampleAccounts = make_set(UserPrincipalName, 20), Applications = make_set(AppDisplayName, 5) by IPAddress, bin(TimeGenerated, 1h)
| where Accounts >= accountThreshold
| sort by Accounts desc`,
      defender: `let lookback = 1d;
let accountThreshold = 10;
IdentityLogonEvents
| where Timestamp > ago(lookback)
| where ActionType == "LogonFailed" and isnotempty(IPAddress)
| summarize Accounts = dcount(AccountUpn), Attempts = count(), SampleAccounts = make_set(AccountUpn, 20), FailureReasons = make_set(FailureReason, 5), Applications = make_set(Application, 5) by IPAddress, bin(Timestamp, 1h)
| where Accounts >= accountThreshold
| sort by Accounts desc`,
    },
    keywords: ['password spray', 'spray', 'spraying', 'brute force', 'many accounts', '50126', 'invalid password'],
    expectedFalsePositives: [
      'A misconfigured application retrying with an old password for a shared service.',
      'NAT gateways shared by many users after a password policy change.',
    ],
    tuning: [
      'Lower the threshold for small tenants.',
      'Check whether any of the sprayed accounts then signed in successfully from the same IP.',
    ],
  },
  {
    id: 'mfa-fatigue',
    title: 'MFA fatigue: repeated MFA denials then an approval',
    description:
      'A user denying or ignoring several MFA prompts and then approving one: an attacker with the password pushing prompts until the user gives in.',
    techniques: ['T1621'],
    platforms: {
      sentinel: `let lookback = 1d;
let denialThreshold = 3;
let denials = SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType in ("500121", "50074")
| summarize Denials = count(), FirstDenial = min(TimeGenerated), LastDenial = max(TimeGenerated), DenialIps = make_set(IPAddress, 10) by UserPrincipalName;
SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType == "0" and AuthenticationRequirement == "multiFactorAuthentication"
| summarize FirstApproval = min(TimeGenerated) by UserPrincipalName, IPAddress
| join kind=inner denials on UserPrincipalName
| where Denials >= denialThreshold and FirstApproval between (FirstDenial .. (LastDenial + 1h))
| project UserPrincipalName, Denials, FirstDenial, LastDenial, FirstApproval, IPAddress, DenialIps
| sort by Denials desc`,
    },
    keywords: ['mfa fatigue', 'mfa bombing', 'mfa spam', 'push fatigue', 'mfa denied', 'prompt bombing', 'mfa'],
    expectedFalsePositives: [
      'Users who missed prompts on a new phone.',
      'Authenticator app problems after a device change.',
    ],
    tuning: [
      'Check the approval IP against the denial IPs: an approval from the attacker IP is decisive.',
      'Enable number matching to prevent the technique.',
    ],
  },
];
