// The custom server (server.ts, run by tsx) and the Next.js bundle each load their own copy of
// lib/*. State that both must see (the database client, the live bus, caches) lives on
// globalThis under one key, created by whichever copy asks first.
const globals = globalThis as Record<string, unknown>;
globals.__hookscope ??= new Map<string, unknown>();
const registry = globals.__hookscope as Map<string, unknown>;

export function shared<T>(key: string, create: () => T): T {
  if (!registry.has(key)) registry.set(key, create());
  return registry.get(key) as T;
}

export function resetShared(key: string): void {
  registry.delete(key);
}
