/** Shard 2 of the stack matrix (test/support/stack-matrix-case.ts): the shards run side by side. */
import { describeStackMatrix } from '../support/stack-matrix-case.js';

describeStackMatrix(2);
