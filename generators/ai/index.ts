import { featureGenerator } from '../../shared/feature-generator.js';

/** `yo aegis:ai` adds the AI chat service (`--providers openai,anthropic`); `--remove` takes it out. */
export default featureGenerator('ai');
