// The typed event stream the informers emit and the policy engine consumes.
import type { KindObjects, WatchedKind } from './kinds.js';

/** What happened to one object. */
export type ChangeType = 'add' | 'update' | 'delete';

/** One change of one object, typed by kind. `previous` is the cached object an update/delete replaced. */
export type ClusterEvent = {
  [K in WatchedKind]: { kind: K; type: ChangeType; object: KindObjects[K]; previous?: KindObjects[K] };
}[WatchedKind];

/** Receives every change, in the order the informer applied it to its cache. */
export type ClusterEventListener = (event: ClusterEvent) => void;
