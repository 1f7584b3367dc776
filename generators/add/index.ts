import { AddGenerator } from '../../shared/yeoman/add-remove-generators.js';

/** `yo aegis:add scheduler` (or several: `yo aegis:add "scheduler[sqlite]" worker`). */
export default AddGenerator;
