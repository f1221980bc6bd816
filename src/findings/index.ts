export * from './findings';
export * from './stored-reports';
export * from './report-links';
export * from './retention';
export * from './hunts';
