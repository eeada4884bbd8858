import { createKeywordClassifier } from './keyword-classifier.js';
import { createOpenAiClassifier } from './openai-classifier.js';
import { createRouterClassifier } from './router-classifier.js';
import type { Classifier } from './classifier.js';

/** The environment variables enrichment reads (ROUTER_URL is also part of the worker configuration). */
export interface ClassifierEnv {
  ROUTER_URL?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
  OPENAI_MODEL?: string | undefined;
  OPENAI_API_KEY?: string | undefined;
  /** Timeout of one classification request in milliseconds. */
  CLASSIFIER_TIMEOUT_MS?: string | undefined;
}

export type ClassifierConfig =
  | { kind: 'keyword' }
  | { kind: 'router'; url: string; timeoutMs?: number }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string; timeoutMs?: number };

/** Thrown when the classifier variables are invalid; lists every problem at once. */
export class ClassifierConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid classifier configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ClassifierConfigError';
  }
}

function httpUrl(name: string, value: string, issues: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  issues.push(`${name}: must be an http(s) URL`);
  return value;
}

/** ROUTER_URL set: the router; else OPENAI_BASE_URL set: the chat endpoint; else the built-in keyword classifier. */
export function readClassifierConfig(env: ClassifierEnv): ClassifierConfig {
  const issues: string[] = [];
  const value = (name: keyof ClassifierEnv) => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };
  let timeoutMs: number | undefined;
  const timeout = value('CLASSIFIER_TIMEOUT_MS');
  if (timeout !== undefined) {
    timeoutMs = Number(timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) issues.push('CLASSIFIER_TIMEOUT_MS: must be an integer from 1 to 600000');
  }
  const withTimeout = timeoutMs !== undefined ? { timeoutMs } : {};
  const router = value('ROUTER_URL');
  const base = value('OPENAI_BASE_URL');
  let config: ClassifierConfig = { kind: 'keyword' };
  if (router !== undefined) {
    config = { kind: 'router', url: httpUrl('ROUTER_URL', router, issues), ...withTimeout };
  } else if (base !== undefined) {
    const model = value('OPENAI_MODEL');
    if (model === undefined) issues.push('OPENAI_MODEL: required when OPENAI_BASE_URL is set');
    const apiKey = value('OPENAI_API_KEY');
    config = { kind: 'openai', baseUrl: httpUrl('OPENAI_BASE_URL', base, issues), model: model ?? '', ...(apiKey ? { apiKey } : {}), ...withTimeout };
  } else if (value('OPENAI_MODEL') !== undefined || value('OPENAI_API_KEY') !== undefined) {
    issues.push('OPENAI_BASE_URL: required when OPENAI_MODEL or OPENAI_API_KEY is set');
  }
  if (issues.length > 0) throw new ClassifierConfigError(issues);
  return config;
}

/** The classifier a configuration selects. */
export function createClassifier(config: ClassifierConfig): Classifier {
  switch (config.kind) {
    case 'router':
      return createRouterClassifier(config);
    case 'openai':
      return createOpenAiClassifier(config);
    default:
      return createKeywordClassifier();
  }
}
