import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:redis` adds a Redis server and its health check; `--remove` takes it out again. */
export default featureGenerator('redis');
