import { defangDomain, defangEmailAddress, defangIpAddress, defangText, defangUrl } from '../defang';
import { iocTypes, type IocPlainLists, type IocReport, type IocType } from './types';

export interface PlainListOptions {
  /** Defang every value in the SOC convention (`hxxps://evil[.]com/x`, `1.2.3[.]4`, `user[@]example[.]com`). */
  defang?: boolean;
}

/** The values of a report, one array per type, every type present: the CLI's and an API response's shape. */
export function toPlainLists(report: IocReport, options: PlainListOptions = {}): IocPlainLists {
  const lists = {} as IocPlainLists;
  for (const type of iocTypes) {
    lists[type] = report[type].map((ioc) => (options.defang ? defangIoc(type, ioc.value) : ioc.value));
  }
  return lists;
}

/**
 * Defangs one extracted indicator by its type, with the one implementation in src/intel/defang.ts. Hashes, CVE and
 * technique IDs and registry keys cannot be followed and stay as they are; a file path is defanged as text, so
 * the host of `\\evil.com\share` is bracketed.
 */
export function defangIoc(type: IocType, value: string): string {
  switch (type) {
    case 'url':
      return defangUrl(value);
    case 'domain':
      return defangDomain(value);
    case 'email':
      return defangEmailAddress(value);
    case 'ipv4':
    case 'ipv6':
    case 'cidr':
      return defangIpAddress(value);
    case 'filePath':
      return defangText(value);
    default:
      return value;
  }
}
