import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:ingress [--domain D --email E]` puts Traefik in front of the app; `--remove` takes it out. */
export default featureGenerator('ingress');
