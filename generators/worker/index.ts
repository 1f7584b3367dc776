import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:worker` adds the arq worker queues (and Redis, which they need); `--remove` takes them out again. */
export default featureGenerator('worker');
