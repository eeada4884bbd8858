import { ApplicationFailure } from '@temporalio/activity';
import { CLASSIFIER_FAILURE_TYPES } from './classifier.js';

/** Milliseconds to wait from a Retry-After header (delay-seconds or an HTTP date); undefined when absent or invalid. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps a non-2xx answer of a classification service to an ApplicationFailure saying whether to retry. */
export async function failureForResponse(service: string, response: Response): Promise<ApplicationFailure> {
  const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
  const what = `${service} answered HTTP ${response.status}${body ? `: ${body}` : ''}`;
  if (response.status === 429) {
    const delay = retryAfterMs(response.headers.get('retry-after'));
    return ApplicationFailure.create({
      type: CLASSIFIER_FAILURE_TYPES.rateLimited,
      message: `${what} (rate limited${delay !== undefined ? `, retrying after ${delay} ms` : ''})`,
      ...(delay !== undefined ? { nextRetryDelay: Math.max(delay, 1) } : {}),
    });
  }
  if (response.status === 408) return ApplicationFailure.retryable(what, CLASSIFIER_FAILURE_TYPES.timeout);
  if (response.status >= 400 && response.status < 500) {
    return ApplicationFailure.nonRetryable(`${what} (the request was refused; retrying would not help)`, CLASSIFIER_FAILURE_TYPES.rejected);
  }
  return ApplicationFailure.retryable(what, CLASSIFIER_FAILURE_TYPES.unavailable);
}

/** POSTs JSON with a timeout; a timeout or a network error is a retryable failure. */
export async function postJson(service: string, url: string, body: unknown, options: { timeoutMs: number; headers?: Record<string, string> }): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const message = timedOut ? `${service} did not answer within ${options.timeoutMs} ms` : `${service} is unreachable: ${error instanceof Error ? error.message : String(error)}`;
    throw ApplicationFailure.retryable(message, timedOut ? CLASSIFIER_FAILURE_TYPES.timeout : CLASSIFIER_FAILURE_TYPES.unavailable);
  }
  if (!response.ok) throw await failureForResponse(service, response);
  try {
    return await response.json();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (timedOut) throw ApplicationFailure.retryable(`${service} did not answer within ${options.timeoutMs} ms`, CLASSIFIER_FAILURE_TYPES.timeout);
    throw ApplicationFailure.retryable(`${service} answered with a body that is not JSON`, CLASSIFIER_FAILURE_TYPES.badResponse);
  }
}
