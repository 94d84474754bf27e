import { describe, expect, it } from "vitest";
import { nextRound } from "./next-round.ts";

describe("nextRound", () => {
  it("starts rounds at least the interval apart, and a call inside it waits for the next", async () => {
    const starts: number[] = [];
    const round = nextRound(async () => {
      starts.push(Date.now());
    }, 200);
    await round();
    const before = Date.now();
    await Promise.all([round(), round()]);
    expect(starts).toHaveLength(2);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(195);
    expect(Date.now() - before).toBeGreaterThanOrEqual(150);
  });

  it("gives every caller a round that started after its call, and folds a burst into two", async () => {
    const starts: number[] = [];
    let finish: (() => void)[] = [];
    const round = nextRound(() => {
      starts.push(starts.length);
      return new Promise<void>((resolve) => finish.push(resolve));
    });
    const first = round();
    const burst = [round(), round(), round()];
    expect(starts).toEqual([0]);
    expect(burst[0]).toBe(burst[2]);

    const release = () => {
      const waiting = finish;
      finish = [];
      for (const resolve of waiting) resolve();
    };
    release();
    await first;
    // The burst arrived while round 0 ran: it waits for round 1, which starts now.
    for (let turn = 0; turn < 100 && starts.length < 2; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(starts).toEqual([0, 1]);
    let burstDone = false;
    void Promise.all(burst).then(() => {
      burstDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(burstDone).toBe(false);
    release();
    await Promise.all(burst);
    expect(starts).toEqual([0, 1]);
  });

  it("lets a failed round fail only its own callers", async () => {
    let fail = true;
    const round = nextRound(async () => {
      if (fail) throw new Error("database down");
    });
    const failed = round();
    const queued = round();
    fail = false;
    await expect(failed).rejects.toThrow("database down");
    await expect(queued).resolves.toBeUndefined();
  });
});
