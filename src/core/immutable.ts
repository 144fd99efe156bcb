/**
 * Ownership of what the server sent. A status holds a deep-frozen copy of the wire JSON, so the
 * statuses that concurrent callers share cannot be changed through any of them; a result handed to
 * a caller is a fresh, mutable copy that is that caller's own. Plain objects and arrays are copied
 * (iteratively: deep JSON does not overflow the stack); any other object (a `Date`, a class
 * instance handed in through `fromOperation`) is kept as it is.
 */

type Container = Record<string, unknown> | unknown[];

function isPlain(value: unknown): value is Container {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function copy(value: unknown, freeze: boolean): unknown {
  if (!isPlain(value)) return value;
  const root: Container = Array.isArray(value) ? [] : {};
  const work: Array<[Container, Container]> = [[value, root]];
  // A container met twice (shared, or a cycle in an object handed in) is copied once.
  const copies = new Map<Container, Container>([[value, root]]);
  while (work.length > 0) {
    const [from, to] = work.pop()!;
    for (const key of Object.keys(from)) {
      const item = (from as Record<string, unknown>)[key];
      if (isPlain(item)) {
        let child = copies.get(item);
        if (!child) {
          child = Array.isArray(item) ? [] : {};
          copies.set(item, child);
          work.push([item, child]);
        }
        put(to, key, child);
      } else {
        put(to, key, item);
      }
    }
  }
  if (freeze) for (const c of copies.values()) Object.freeze(c);
  return root;
}

/** Sets an own property, `__proto__` included (as `JSON.parse` makes it), never the prototype. */
function put(to: Container, key: string, item: unknown): void {
  if (key === '__proto__') Object.defineProperty(to, key, { value: item, enumerable: true, writable: true, configurable: true });
  else (to as Record<string, unknown>)[key] = item;
}

/** A deep copy of `value` whose plain objects and arrays are frozen. */
export function frozenCopy<T>(value: T): T {
  return copy(value, true) as T;
}

/** A deep copy of `value` that its receiver owns and may change. */
export function ownCopy<T>(value: T): T {
  return copy(value, false) as T;
}

/** Freezes the plain objects and arrays of `value` in place (a decoder's output); returns it. */
export function deepFreeze<T>(value: T): T {
  const work: unknown[] = [value];
  while (work.length > 0) {
    const item = work.pop();
    if (!isPlain(item) || Object.isFrozen(item)) continue;
    Object.freeze(item);
    // `for in` with `hasOwn` visits what `Object.keys` lists, without making its array.
    for (const key in item) if (Object.hasOwn(item, key)) work.push((item as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * True when `a` and `b` hold the same data: plain objects and arrays compared by their own
 * enumerable keys and values (iteratively: deep JSON does not overflow the stack), anything else
 * by identity (`Object.is`). Two frozen statuses that say the same are told apart by nothing else.
 */
export function sameData(a: unknown, b: unknown): boolean {
  const work: unknown[] = [a, b];
  while (work.length > 0) {
    const y = work.pop();
    const x = work.pop();
    if (Object.is(x, y)) continue;
    if (!isPlain(x) || !isPlain(y) || Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      work.push((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]);
    }
  }
  return true;
}
