/**
 * Indicators of compromise: refang, extract (text, JSON, alerts), classify IP addresses, and list them (defanged
 * or not). Plain modules with no Teams or I/O code; src/intel/defang.ts does the defanging.
 */
export { extractIocs } from './extract';
export { extractIocsFromJson, iocsForAlert } from './json';
export { refang, refangWithOffsets, type RefangResult } from './refang';
export { canonicalIp, classifyIp } from './classify';
export { defangIoc, toPlainLists, type PlainListOptions } from './plain';
export {
  emptyReport,
  ipClassifications,
  iocTypes,
  type ExtractOptions,
  type Ioc,
  type IocOccurrence,
  type IocPlainLists,
  type IocReport,
  type IocType,
  type IpClassification,
  type JsonOccurrence,
  type TextOccurrence,
} from './types';
export { KNOWN_TLDS, isKnownTld } from './tlds';
