// The side-effect import keeps the JSON in the TypeScript program, so `tsc` copies it into dist/ beside this file. A
// typed `import x from` would make the compiler infer a type for half a megabyte of data on every build; the schema in
// compact-data.ts validates the value instead.
import './data/attack-compact.json';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- reads the value without typing it, see above
export const bundledCompactAttack: unknown = require('./data/attack-compact.json');
