export type { AuditRecord, AuditReport } from './record';
export { redactDeep, redactSecrets } from '../security/redact';
export { AuditScope } from './scope';
export { AuditTrail, auditKey, auditPrefix, startAuditRetention, type AuditSink } from './trail';
export { csvHeader, parseSince, toCsvLine, toJsonLine } from './export';
