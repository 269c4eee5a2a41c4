/** A run (a fetch, an execution) that answers when the test says so, and counts how often it was started. */
export function pendingRun<T>() {
  let calls = 0;
  let settle!: { resolve(value: T): void; reject(error: unknown): void };
  const run = () => {
    calls++;
    return new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { run, calls: () => calls, resolve: (value: T) => settle.resolve(value), reject: (error: unknown) => settle.reject(error) };
}
