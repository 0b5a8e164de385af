// Map helpers for the get-or-create patterns of the analyser's indexes (readers, writers, groups, log sites).

/** The value under `key` (in a Map or a WeakMap), made and stored by `make` the first time. */
export function getOrAdd<K, V>(
  map: { get(key: K): V | undefined; set(key: K, value: V): unknown },
  key: K,
  make: () => V,
): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Adds `value` to the set under `key`. */
export function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  getOrAdd(map, key, () => new Set<V>()).add(value);
}

/** Appends `value` to the list under `key`. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  getOrAdd(map, key, () => [] as V[]).push(value);
}
