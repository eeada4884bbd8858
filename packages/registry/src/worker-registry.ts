import { fileURLToPath } from 'node:url';
import { DuplicateRegistrationError } from './errors.js';
import type { ActivityMap, ModuleContext, WorkerModule } from './module.js';
import { readWorkflowNames } from './workflow-names.js';

/** One module's workflows entry and the workflow names it exports. */
export interface WorkflowSourceEntry {
  module: string;
  path: string;
  names: string[];
}

/**
 * Collects the activities and workflows of several modules into one worker's
 * worth, refusing any name two modules both claim — Temporal itself would let
 * the later one silently win.
 */
export class WorkerRegistry {
  readonly #activities = new Map<string, { module: string; fn: ActivityMap[string] }>();
  readonly #workflows = new Map<string, string>();
  readonly #sources: WorkflowSourceEntry[] = [];
  readonly #modules: string[] = [];
  readonly #hostActivities = new Map<string, { module: string; fn: ActivityMap[string] }>();

  addActivities(moduleName: string, activities: ActivityMap): this {
    for (const name of Object.keys(activities)) {
      const existing = this.#activities.get(name) ?? this.#hostActivities.get(name);
      if (existing) throw new DuplicateRegistrationError('activity', name, existing.module, moduleName);
    }
    for (const [name, fn] of Object.entries(activities)) this.#activities.set(name, { module: moduleName, fn });
    return this;
  }

  /** Activities for this worker's own task queue; names share one namespace with the others. */
  addHostActivities(moduleName: string, activities: ActivityMap): this {
    for (const name of Object.keys(activities)) {
      const existing = this.#activities.get(name) ?? this.#hostActivities.get(name);
      if (existing) throw new DuplicateRegistrationError('activity', name, existing.module, moduleName);
    }
    for (const [name, fn] of Object.entries(activities)) this.#hostActivities.set(name, { module: moduleName, fn });
    return this;
  }

  addWorkflows(moduleName: string, workflowsPath: string, names: readonly string[]): this {
    for (const name of names) {
      const existing = this.#workflows.get(name);
      if (existing) throw new DuplicateRegistrationError('workflow', name, existing, moduleName);
    }
    for (const name of names) this.#workflows.set(name, moduleName);
    this.#sources.push({ module: moduleName, path: workflowsPath, names: [...names] });
    return this;
  }

  /** Registers a whole module: builds its activities and reads its workflow names. */
  async addModule(module: WorkerModule, context: ModuleContext): Promise<this> {
    if (this.#modules.includes(module.name)) throw new DuplicateRegistrationError('module', module.name, module.name, module.name);
    if (module.workflowsPath) {
      const path = module.workflowsPath.startsWith('file:') ? fileURLToPath(module.workflowsPath) : module.workflowsPath;
      this.addWorkflows(module.name, path, await readWorkflowNames(path));
    }
    if (module.activities) this.addActivities(module.name, await module.activities(context));
    if (module.hostActivities) this.addHostActivities(module.name, await module.hostActivities(context));
    this.#modules.push(module.name);
    return this;
  }

  get modules(): readonly string[] {
    return this.#modules;
  }

  get activities(): ActivityMap {
    return Object.fromEntries([...this.#activities].map(([name, entry]) => [name, entry.fn]));
  }

  get hostActivities(): ActivityMap {
    return Object.fromEntries([...this.#hostActivities].map(([name, entry]) => [name, entry.fn]));
  }

  get workflowSources(): readonly WorkflowSourceEntry[] {
    return this.#sources;
  }

  /** Which module registered each activity and workflow, for logs and `--help`. */
  describe(): { activities: Record<string, string>; workflows: Record<string, string> } {
    return {
      activities: Object.fromEntries([...this.#activities, ...this.#hostActivities].map(([name, entry]) => [name, entry.module])),
      workflows: Object.fromEntries(this.#workflows),
    };
  }
}
