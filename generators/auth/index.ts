import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:auth` adds user accounts and JWT auth (and the database, which it needs); `--remove` takes it out. */
export default featureGenerator('auth');
