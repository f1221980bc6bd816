/** The indicator types we extract, in the order reports and the CLI list them. */
export const iocTypes = [
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'cve',
  'attackTechnique',
  'registryKey',
  'filePath',
] as const;
export type IocType = (typeof iocTypes)[number];

/** Where an indicator was written in free text: offsets into the caller's text (before refanging), end exclusive. */
export interface TextOccurrence {
  start: number;
  end: number;
}

/**
 * Where an indicator was written in a JSON value: the path of the string (`$.entities[0].properties.sha256`) and
 * the offsets inside that string. A string that itself holds JSON (Sentinel's `Entities`) is walked as JSON, and
 * its paths continue from the string's path.
 */
export interface JsonOccurrence extends TextOccurrence {
  path: string;
}

export type IocOccurrence = TextOccurrence | JsonOccurrence;

export const ipClassifications = [
  'public',
  'private',
  'loopback',
  'linkLocal',
  'cgnat',
  'documentation',
  'multicast',
  'reserved',
  'unspecified',
] as const;
/** What an address (or the network of a CIDR block) is, for deciding whether it can be an external indicator. */
export type IpClassification = (typeof ipClassifications)[number];

export interface Ioc {
  /**
   * Refanged and normalized: domains, e-mail addresses, hashes and IPv6 lower-case; CVE and technique IDs
   * upper-case; URLs with a lower-case scheme and host and the path and query as written.
   */
  value: string;
  type: IocType;
  /** First-seen order; capped by `maxOccurrences`. */
  occurrences: IocOccurrence[];
  /** For ipv4, ipv6 and cidr. */
  classification?: IpClassification;
}

/** One array per type, each de-duplicated and in first-seen order. */
export type IocReport = Record<IocType, Ioc[]>;

/** The CLI's shape: the values only, one array per type. */
export type IocPlainLists = Record<IocType, string[]>;

export interface ExtractOptions {
  /**
   * Decides whether a syntactically valid technique ID (T1059.001) names a real ATT&CK technique; without it,
   * IDs in the ranges ATT&CK uses (T0800–T0999 for ICS, T1000–T1699) are accepted.
   */
  isKnownTechnique?: (id: string) => boolean;
  /** Occurrences kept per indicator (default 100): a log with one IP on every line should not hold a million. */
  maxOccurrences?: number;
}

export function emptyReport(): IocReport {
  const report = {} as IocReport;
  for (const type of iocTypes) report[type] = [];
  return report;
}
