// Never imported at run time. Listing the generated tables here puts them in the TypeScript program, so `tsc` copies
// them into dist/kql/schemas/ beside the code that reads them (schema.ts reads them with readFileSync, lazily and one
// platform at a time, instead of through these imports).
import './sentinel-tables.json';
import './defender-tables.json';
