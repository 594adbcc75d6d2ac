/** Minimal structured logger the engine writes to; a pino logger satisfies it. */
export interface MediaLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A logger that drops everything (tests, and callers that pass none). */
export const silentLogger: MediaLogger = {
  debug() {},
  info() {},
  warn() {},
};

/**
 * A typed event emitter: each event name maps to a listener signature. A throwing listener is logged
 * and never breaks the media path that emitted (after mediasoup's `safeEmit`).
 */
export class SafeEmitter<Events extends { [E in keyof Events]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  constructor(private readonly logger: MediaLogger) {}

  /** Add a listener. */
  on<E extends keyof Events>(event: E, listener: Events[E]): void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
  }

  /** Remove a listener added with {@link on}. */
  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Number of listeners of an event, so costly events are computed only when someone listens. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Call every listener of `event`; exceptions are logged, never thrown. */
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        Reflect.apply(listener, undefined, args);
      } catch (error) {
        this.logger.warn({ err: error, event: String(event) }, 'media event listener threw');
      }
    }
  }

  /** Drop every listener (on close). */
  clear(): void {
    this.listeners.clear();
  }
}
