import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:database [--engine sqlite|postgres]` adds the database and migrations; `--remove` takes them out. */
export default featureGenerator('database');
