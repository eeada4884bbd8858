/**
 * Yields what `source` yields, reading the next item while the caller works on
 * the current one: the next batch is read, parsed and hashed while PostgreSQL
 * writes the ones before it.
 */
export async function* readingAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  next.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled
  try {
    for (;;) {
      const item = await next;
      if (item.done) return;
      next = source.next();
      next.catch(() => {});
      yield item.value;
    }
  } finally {
    // The caller stopped early (an error, a cancellation): let the read in flight end, then close the file.
    await next.then(
      () => source.return(undefined),
      () => undefined,
    );
  }
}
