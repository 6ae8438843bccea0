/**
 * The server clock every piece of code reads. In test mode it can be moved (Kill Bill's ClockMock):
 * the offset from real time is kept, so time keeps flowing after a move, as in Kill Bill.
 */
export class Clock {
  private offsetMillis = 0;

  constructor(private readonly movable: boolean) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMillis);
  }

  /** Sets the current time; throws outside test mode. */
  setTime(instant: Date): void {
    this.assertMovable();
    this.offsetMillis = instant.getTime() - Date.now();
  }

  /** Back to real time. */
  reset(): void {
    this.assertMovable();
    this.offsetMillis = 0;
  }

  private assertMovable(): void {
    if (!this.movable) throw new Error('The clock can only be moved when the server runs in test mode');
  }
}
