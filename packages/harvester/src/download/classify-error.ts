import { FeedCorruptError, FeedDownloadError, FeedNetworkError } from './errors.js';

export interface ClassifyContext {
  url: URL;
  /** What the request itself recorded: a timeout it raised or a socket error. */
  failure?: Error | undefined;
  /** Content-Length of the response, if it declared one. */
  declaredLength?: number | undefined;
  /** Body bytes received before the error. */
  receivedBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

// Transient transport failures; a retry may well succeed.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPROTO',
]);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isPrematureClose(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || (code === 'ECONNRESET' && (error as Error).message === 'aborted');
}

function networkError(url: URL, error: unknown): FeedNetworkError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = code?.startsWith('HPE_') ? `malformed HTTP response (${message})` : message;
  return new FeedNetworkError({ url, code, detail, cause: error });
}

/**
 * Maps whatever ended a download (socket, zlib, stream or our own errors) to one of
 * the Feed*Error classes. Errors it does not recognize, such as a full disk while
 * writing the staged file, are returned unchanged; cancellation returns the signal's reason.
 */
export function classifyError(error: unknown, context: ClassifyContext): unknown {
  const { url, failure, signal } = context;
  if (signal?.aborted) return signal.reason ?? error;
  if (error instanceof FeedDownloadError) return error;
  if (failure instanceof FeedDownloadError) return failure;

  const code = errorCode(error);
  if (code?.startsWith('Z_')) {
    const message = error instanceof Error ? error.message : String(error);
    return new FeedCorruptError({ url, detail: `the gzip stream is invalid or truncated (${message})`, cause: error });
  }
  // A reset or other socket error outranks the "aborted" the response reports after it.
  if (failure) return networkError(url, failure);

  if (isPrematureClose(error)) {
    const { declaredLength, receivedBytes = 0 } = context;
    if (declaredLength !== undefined && receivedBytes < declaredLength) {
      return new FeedCorruptError({
        url,
        detail: `the connection closed after ${receivedBytes} of the ${declaredLength} bytes declared by Content-Length`,
        cause: error,
      });
    }
    return new FeedNetworkError({ url, code, detail: 'the connection closed before the body was complete', cause: error });
  }
  if (code !== undefined && (NETWORK_CODES.has(code) || code.startsWith('HPE_') || code.startsWith('ERR_TLS') || code.includes('CERT'))) {
    return networkError(url, error);
  }
  return error;
}
