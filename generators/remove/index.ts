import { RemoveGenerator } from '../../shared/yeoman/add-remove-generators.js';

/** `yo aegis:remove scheduler`: the files you changed stay, and are listed. */
export default RemoveGenerator;
