/**
 * Runs `work` for each item of `items`, up to `lanes` at a time, and calls `done` with the results in
 * item order (so progress reported from it only moves forward).
 *
 * Stops reading `items` at the first failure, waits for the items in flight to settle, and throws that
 * failure (the earliest item's, when several failed).
 */
export async function inOrderedLanes<T, R>(
  items: AsyncIterable<T>,
  lanes: number,
  work: (item: T) => Promise<R>,
  done: (result: R, item: T) => void,
): Promise<void> {
  if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be a whole number of at least 1, got ${lanes}`);
  const inFlight = new Set<Promise<void>>();
  const failures = new Map<number, unknown>();
  let previous: Promise<void> = Promise.resolve();
  let index = 0;
  try {
    for await (const item of items) {
      const position = index++;
      const before = previous;
      const finished = (async () => {
        const result = await work(item);
        // `done` only after every earlier item's; a failure before this one fails this one too.
        await before;
        done(result, item);
      })();
      previous = finished;
      const settled = finished.then(
        () => undefined,
        (error: unknown) => void failures.set(position, error),
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      while (inFlight.size >= lanes && failures.size === 0) await Promise.race(inFlight);
      if (failures.size > 0) break;
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
}
