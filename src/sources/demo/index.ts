export type { DemoDataSet } from './data-set';
export { buildDemoDataSet } from './data-set';
export type { AlertTriageWriter, AlertUpdate, DemoSecurityDataSourceOptions } from './demo-source';
export { AlertUpdateSchema, DemoSecurityDataSource } from './demo-source';
