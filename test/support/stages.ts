/**
 * A stage of a scenario that several tests of a file build on (e.g. "went Live", "step 1 sent"):
 * it runs on its first call, and every later call shares its result, or its failure. Each test
 * awaits the stages it needs before its own actions and assertions, so any one test passes alone
 * (`vitest run <file> -t <name>`) while the whole file still runs each stage once.
 */
export function once<T>(stage: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= stage());
}
