import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:scheduler [--persistence memory|sqlite]` adds the scheduler; `--remove` takes it out again. */
export default featureGenerator('scheduler');
