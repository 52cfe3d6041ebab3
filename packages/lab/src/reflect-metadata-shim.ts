/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load unless a
 * `Reflect.getMetadata` polyfill exists. The full `reflect-metadata` package is not a dependency,
 * and tsyringe only needs these three functions, so a WeakMap-backed minimum is defined here —
 * only when nothing else defined them. Import this module before '@peculiar/x509'.
 */
type MetadataReflect = typeof Reflect & {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
};

const reflect = Reflect as MetadataReflect;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<object, Map<unknown, unknown>>();
  reflect.defineMetadata = (key, value, target) => {
    let own = store.get(target);
    if (!own) store.set(target, (own = new Map()));
    own.set(key, value);
  };
  reflect.getOwnMetadata = (key, target) => store.get(target)?.get(key);
  reflect.getMetadata = (key, target) => {
    // Walk the prototype chain, as reflect-metadata does.
    for (let o: object | null = target; o != null; o = Object.getPrototypeOf(o)) {
      const own = store.get(o);
      if (own?.has(key)) return own.get(key);
    }
    return undefined;
  };
}

export {};
