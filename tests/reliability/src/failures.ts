import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';

/**
 * The ApplicationFailure at the root of a failed workflow (WorkflowFailedError -> ActivityFailure ->
 * ApplicationFailure), with the whole chain of messages for "is it clear" assertions.
 */
export async function rootFailure(result: Promise<unknown>): Promise<ApplicationFailure & { chain: string }> {
  const error = await result.then(
    (value) => {
      throw new Error(`expected the workflow to fail, it returned ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  if (!(error instanceof WorkflowFailedError)) throw error;
  const messages: string[] = [];
  let cause: unknown = error;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) {
    messages.push(cause.message);
    cause = cause.cause;
  }
  if (!(cause instanceof ApplicationFailure)) throw new Error(`no ApplicationFailure in the chain: ${messages.join(' <- ')}`);
  messages.push(cause.message);
  return Object.assign(cause, { chain: messages.join(' <- ') });
}
