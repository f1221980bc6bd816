import { classifyIp } from './classify';
import { iocTypes, type Ioc, type IocOccurrence, type IocReport, type IocType } from './types';

/**
 * Gathers indicators as a scan finds them: one entry per type and identity (`key`: the value in the form that makes
 * two spellings the same indicator), in first-seen order, with every place it was seen up to `maxOccurrences`.
 */
export class IocCollector {
  private readonly entries = Object.fromEntries(iocTypes.map((type) => [type, new Map<string, Ioc>()])) as Record<
    IocType,
    Map<string, Ioc>
  >;

  constructor(private readonly maxOccurrences: number) {}

  /** Adds one sighting; a new address or CIDR block is classified (once, not on every sighting). */
  add(type: IocType, value: string, key: string, occurrence: IocOccurrence): void {
    const entries = this.entries[type];
    const existing = entries.get(key);
    if (existing !== undefined) {
      if (existing.occurrences.length < this.maxOccurrences) existing.occurrences.push(occurrence);
      return;
    }
    const ioc: Ioc = { value, type, occurrences: [occurrence] };
    const classification = isAddressType(type) ? classifyIp(value) : undefined;
    if (classification !== undefined) ioc.classification = classification;
    entries.set(key, ioc);
  }

  has(type: IocType, key: string): boolean {
    return this.entries[type].has(key);
  }

  report(): IocReport {
    const report = {} as IocReport;
    for (const type of iocTypes) report[type] = [...this.entries[type].values()];
    return report;
  }
}

/** The default cap on occurrences kept per indicator. */
export const DEFAULT_MAX_OCCURRENCES = 100;

function isAddressType(type: IocType): boolean {
  return type === 'ipv4' || type === 'ipv6' || type === 'cidr';
}
