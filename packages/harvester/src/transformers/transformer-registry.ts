import type { Transformer } from './transformer.js';

/** Thrown when a supplier names a transformer no module registered. */
export class UnknownTransformerError extends Error {
  override readonly name = 'UnknownTransformerError';
  constructor(
    readonly transformerId: string,
    readonly available: readonly string[],
  ) {
    super(`Unknown transformer "${transformerId}". Registered: ${available.length > 0 ? available.join(', ') : '(none)'}.`);
  }
}

/** Thrown when two transformers claim the same id. */
export class DuplicateTransformerError extends Error {
  override readonly name = 'DuplicateTransformerError';
  constructor(readonly transformerId: string) {
    super(`A transformer with id "${transformerId}" is already registered; ids must be unique.`);
  }
}

/**
 * The transformers available to a worker. Modules register theirs at load
 * time (a commerce codebase's local module, a supplier package), suppliers
 * name one by id.
 */
export class TransformerRegistry {
  readonly #byId = new Map<string, Transformer>();

  register(transformer: Transformer): this {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(transformer.id)) {
      throw new Error(`Transformer id "${transformer.id}" must be lowercase letters, digits, ".", "_" or "-"`);
    }
    if (this.#byId.has(transformer.id)) throw new DuplicateTransformerError(transformer.id);
    this.#byId.set(transformer.id, transformer);
    return this;
  }

  get(id: string): Transformer {
    const transformer = this.#byId.get(id);
    if (!transformer) throw new UnknownTransformerError(id, this.ids());
    return transformer;
  }

  ids(): string[] {
    return [...this.#byId.keys()].sort();
  }
}

/** The process-wide registry that `registerTransformer` adds to and the harvester reads. */
export const transformers = new TransformerRegistry();

/** Registers a code transformer for suppliers to name by id. */
export function registerTransformer(transformer: Transformer): void {
  transformers.register(transformer);
}
