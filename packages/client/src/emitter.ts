import type { Logger } from './logger';

/**
 * A small typed event emitter that runs in the browser and in Node (no `node:events`). Each event's
 * arguments are a tuple type, so `on()` and `emit()` are checked against the same map. A throwing
 * listener is logged and does not stop the others, nor the code that emitted.
 */
export class TypedEmitter<Events extends Record<string, unknown[]>> {
  // Listeners of different events have different signatures; emit() calls each with its event's tuple.
  private readonly listeners = new Map<keyof Events, Set<unknown>>();

  constructor(protected readonly logger: Logger) {}

  /** Add a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Add a listener that runs once. */
  once<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    const off = this.on(event, (...args: Events[E]) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Remove a listener added with {@link on}. */
  off<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Number of listeners of an event (tests, and deciding whether an event is worth computing). */
  listenerCount<E extends keyof Events>(event: E): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Call every listener of `event`; exceptions are logged, never thrown to the emitter. */
  protected emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        if (typeof listener === 'function') Reflect.apply(listener, undefined, args);
      } catch (err) {
        this.logger.error(`listener of "${String(event)}" threw`, { error: String(err) });
      }
    }
  }

  /** Drop every listener (after close, so nothing keeps references alive). */
  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
