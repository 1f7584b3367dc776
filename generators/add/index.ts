// First: on a Node this package does not support, loading stops here with a clear line (shared/node-guard.ts).
import '../../shared/node-guard.js';
import { AddGenerator } from '../../shared/yeoman/add-remove-generators.js';

/** `yo aegis:add scheduler` (or several: `yo aegis:add "scheduler[sqlite]" worker`). */
export default AddGenerator;
