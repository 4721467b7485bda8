/** What a running pipeline stops, last started first; a step that fails does not keep the others from running. */
export class StopSteps {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async runAll(): Promise<void> {
    for (const stop of this.steps.splice(0).reverse()) await stop().catch(() => undefined);
  }
}
