import { RemoveGenerator } from '../../shared/list-generators.js';

/** `yo aegis:remove scheduler`: the files you changed stay, and are listed. */
export default RemoveGenerator;
