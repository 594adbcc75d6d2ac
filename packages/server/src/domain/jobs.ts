import { newId } from './ids';
import type { JobRecord, JobStore } from './scheduling-ports';

/** Runs one kind of job. Throwing makes the job run again later (up to {@link JobRunnerOptions.maxAttempts}). */
export type JobHandler = (payload: Record<string, string>, job: JobRecord) => Promise<void>;

/** The logging the job runner needs (pino fits). */
export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of a {@link JobRunner}. */
export interface JobRunnerOptions {
  /** Names this process in job claims; unique per process. */
  workerId: string;
  /** How often the store is asked for due jobs when nothing is expected sooner. */
  pollMs: number;
  /** How long a claim lasts: a job whose worker died runs again after this. Longer than any handler takes. */
  leaseMs: number;
  /** Jobs claimed per round trip. */
  batch: number;
  /** Delay before the first retry of a failed job; doubles with each attempt. */
  retryMs: number;
  /** Attempts before a failing job is dropped (and logged). */
  maxAttempts: number;
}

/**
 * Durable background work (reminders, expiries): jobs are rows in the database, so they survive a
 * restart, and a claim takes each job for one process only, so several server processes on one
 * Postgres run every job once. Handlers should still be idempotent (a worker can die after the work
 * and before the job is marked done; the lease then lapses and the job runs again): notifications
 * carry a dedupe key for that reason.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private nextTickAt = Infinity;
  private pass: Promise<void> | null = null;
  private rerun = false;
  private stopped = true;

  constructor(
    private readonly jobs: JobStore,
    private readonly log: JobLog,
    private readonly options: JobRunnerOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Handle jobs of this kind. */
  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Run `kind` with `payload` at `runAt`; scheduling the same `key` again moves the job. */
  async schedule(kind: string, key: string, payload: Record<string, string>, runAt: Date): Promise<void> {
    await this.jobs.schedule({ id: newId(), kind, key, payload, runAt, createdAt: this.clock() });
    this.wake(runAt.getTime());
  }

  /** Drop the job with this key if it has not run. */
  async cancel(key: string): Promise<void> {
    await this.jobs.cancel(key);
  }

  /** Start polling (and run what is due now). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake(Date.now());
  }

  /** Stop polling and wait for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** One round: claim due jobs and run them, until none are due. Returns how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const claimed = await this.jobs.claim(this.options.workerId, this.clock(), this.options.leaseMs, this.options.batch);
      for (const job of claimed) {
        await this.run(job);
        ran += 1;
      }
      if (claimed.length < this.options.batch || this.stopped) return ran;
    }
  }

  private async run(job: JobRecord): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job.payload, job);
      await this.jobs.complete(job.id, this.options.workerId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (job.attempts >= this.options.maxAttempts) {
        this.log.error({ err: error, job: job.key, attempts: job.attempts }, 'job failed for the last time: dropped');
        await this.jobs.complete(job.id, this.options.workerId);
        return;
      }
      const retryAt = new Date(this.clock().getTime() + this.options.retryMs * 2 ** (job.attempts - 1));
      this.log.warn({ err: error, job: job.key, attempts: job.attempts, retryAt }, 'job failed: will retry');
      await this.jobs.fail(job.id, this.options.workerId, reason, retryAt);
    }
  }

  /** Make sure a round starts by `at` (ms since the epoch). */
  private wake(at: number): void {
    if (this.stopped) return;
    if (this.pass) {
      // A round is running: it claims whatever is due when it asks, and one more round follows it.
      if (at <= Date.now() + this.options.pollMs) this.rerun = true;
      return;
    }
    if (this.timer && this.nextTickAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextTickAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextTickAt = Infinity;
      this.tick();
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private tick(): void {
    if (this.stopped) return;
    this.rerun = false;
    this.pass = this.runDue()
      .then(() => undefined)
      .catch((error: unknown) => this.log.error({ err: error }, 'job round failed'))
      .finally(() => {
        this.pass = null;
        this.wake(this.rerun ? Date.now() : Date.now() + this.options.pollMs);
      });
  }
}
