// The grader's one memo: searches and reference values that depend only on a seed or a case are computed once.

/** The value cached under `key`, computing and caching it first if there is none. */
export function memoized<K, V>(cache: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, compute: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  cache.set(key, value);
  return value;
}
