/** Reconnect delays: exponential backoff with full jitter, and the server's own delay after a `shutdown`. */
export class Backoff {
  private attempt = 0;
  private once: number | undefined;

  /** @param initialMs the first ceiling (default 500 ms) @param maxMs the largest ceiling (default 30 s) */
  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  /**
   * The next delay: uniform in [0, min(maxMs, initialMs · 2^attempt)] ("full jitter"), or exactly the
   * delay given to {@link after} once.
   */
  next(): number {
    const once = this.once;
    this.once = undefined;
    if (once !== undefined) return once;
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt++);
    return Math.floor(Math.random() * ceiling);
  }

  /** The next delay is `ms` (the server's `reconnectAfterMs`, already jittered by the server). */
  after(ms: number): void {
    this.once = ms;
  }

  /** A connection succeeded: the next failure starts again from the first ceiling. */
  reset(): void {
    this.attempt = 0;
  }
}
