/**
 * Sandbox-safe helpers for workflows that classify claimed batches (the gardener's sweep uses them):
 * a failing batch is bisected until the product that makes it fail is alone. A separate entry from
 * `./workflows`, whose every exported function is registered as a workflow.
 *
 * @module
 */
export { classifyWithBisection, failureReason, runSlots, type ClassifyActivities } from './workflow/classify-with-bisection.js';
