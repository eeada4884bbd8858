/** Thrown when two modules register an activity or workflow under the same name. */
export class DuplicateRegistrationError extends Error {
  override readonly name = 'DuplicateRegistrationError';
  constructor(
    readonly kind: 'activity' | 'workflow' | 'module',
    readonly registeredName: string,
    readonly firstModule: string,
    readonly secondModule: string,
  ) {
    super(
      `${kind[0]?.toUpperCase()}${kind.slice(1)} "${registeredName}" is registered by both module "${firstModule}" and module "${secondModule}". ` +
        'Names must be unique across a worker: rename one, or leave one module out with --modules.',
    );
  }
}

/** Thrown when `--modules` names a module that discovery did not find. */
export class UnknownModuleError extends Error {
  override readonly name = 'UnknownModuleError';
  constructor(
    readonly unknown: readonly string[],
    readonly available: readonly string[],
  ) {
    super(
      `Unknown module${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. ` +
        `Available: ${available.length > 0 ? available.join(', ') : '(none found)'}.`,
    );
  }
}

/** Thrown when a module cannot be loaded, or what it exports is not a worker module. */
export class ModuleLoadError extends Error {
  override readonly name = 'ModuleLoadError';
  constructor(
    readonly location: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load worker module from ${location}: ${reason}`, options);
  }
}

/** Thrown when a prebuilt workflow bundle does not match this worker (SDK version or modules). */
export class BundleMismatchError extends Error {
  override readonly name = 'BundleMismatchError';
  constructor(
    readonly bundlePath: string,
    reason: string,
  ) {
    super(`The workflow bundle ${bundlePath} cannot be used: ${reason}. Rebuild it with \`contextworker bundle\`.`);
  }
}
