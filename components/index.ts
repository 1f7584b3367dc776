import type { FeatureSpec } from '../shared/model/feature-spec.js';
import { ai } from './ai/spec.js';
import { auth } from './auth/spec.js';
import { comms } from './comms/spec.js';
import { database } from './database/spec.js';
import { ingress } from './ingress/spec.js';
import { kubernetes } from './kubernetes/spec.js';
import { observability } from './observability/spec.js';
import { payment } from './payment/spec.js';
import { redis } from './redis/spec.js';
import { scheduler } from './scheduler/spec.js';
import { storage } from './storage/spec.js';
import { worker } from './worker/spec.js';

/**
 * The optional components and services, each found by its name in the folder beside this file, in the order they
 * are rendered and listed (a contribution without an `order` of its own follows it). A new one: its folder, its
 * import and its entry here.
 */
export const BUILT_IN_FEATURES: readonly FeatureSpec[] = [scheduler, redis, worker, database, ingress, auth, storage, ai, payment, comms, observability, kubernetes];
