/**
 * Where an entry goes in its slot's list. Lists are sorted by `order` (default 0, lower first), then by the
 * registry order of the contributing features (`ALL_FEATURES`), then by the order the feature declares them.
 * Set it only where the generated file needs an entry before or after the registry order (see shared/engine/slots.ts).
 */
export interface Ordered {
  readonly order?: number;
}
