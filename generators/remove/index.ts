// First: on a Node this package does not support, loading stops here with a clear line (shared/node-guard.ts).
import '../../shared/node-guard.js';
import { RemoveGenerator } from '../../shared/yeoman/add-remove-generators.js';

/** `yo aegis:remove scheduler`: the files you changed stay, and are listed. */
export default RemoveGenerator;
