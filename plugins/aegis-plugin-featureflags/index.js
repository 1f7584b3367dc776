import { featureflags } from './components/featureflags/spec.js';

/** The features this plugin brings (generator-aegis plugin API 1). */
export const features = [featureflags];
