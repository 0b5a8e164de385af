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

/** The same items in the same order (by identity). */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** The same members; an absent set counts as empty. */
export function sameSet<T>(a: ReadonlySet<T> | undefined, b: ReadonlySet<T> | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) {
    return false;
  }
  for (const x of a ?? []) {
    if (!b?.has(x)) {
      return false;
    }
  }
  return true;
}
