// Sandbox-safe: runs inside workflows.

/**
 * Runs `lanes` loops; each claims its next batch while it classifies the current one, so the claim's
 * database work overlaps the classifier call instead of adding to it. `mayClaim` is asked before every
 * claim (it counts batches and says when the run should stop); a claim that finds nothing ends its
 * lane. Every batch claimed is classified before its lane ends: nothing claimed is left behind when the
 * run continues as new.
 */
export async function runClaimingAhead(
  lanes: number,
  mayClaim: () => boolean,
  claim: () => Promise<string[] | undefined>,
  classify: (ids: string[]) => Promise<void>,
): Promise<void> {
  const claimIfAllowed = (): Promise<string[] | undefined> | undefined => {
    if (!mayClaim()) return undefined;
    const claimed = claim();
    // Awaited only after the current batch: a claim that fails meanwhile is not an unhandled rejection.
    claimed.catch(() => undefined);
    return claimed;
  };
  const lane = async (): Promise<void> => {
    let next = claimIfAllowed();
    while (next) {
      const ids = await next;
      if (!ids) return;
      next = claimIfAllowed();
      await classify(ids);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
}
