import { ratelimit } from './components/ratelimit/spec.js';

/** The features this plugin brings (generator-aegis plugin API 1). */
export const features = [ratelimit];
