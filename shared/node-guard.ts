// Imported first by every Yeoman entry point (generators/*/index.ts and the feature generators scripts/build.mjs
// writes): under `yo` on a Node outside package.json's engines, loading the generator stops here with the same line
// the aegis bin prints, before yeoman-generator is evaluated (it crashes on Node 20: Set.prototype.union).
import { nodeRefusal } from './node-version.js';

const refusal = nodeRefusal(process.version);
if (refusal !== undefined) throw new Error(refusal);
