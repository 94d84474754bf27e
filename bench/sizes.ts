/** How big each scenario is: the full run, and a quick one for building the harness. */
export interface Sizes {
  quick: boolean;
  runs: number;
  /** Scales the fixed pauses (streams settling before a reading, between runs). */
  pauseScale: number;
  memoryStreams: number;
  capacityStreams: number;
  latencyInserts: number;
  fanOutUsers: number;
  fanOutRounds: number;
  sustainedUsers: number;
  sustainedTabs: number;
  sustainedSeconds: number;
  writeSeconds: number;
  stormStreams: number;
  widgetLoads: number;
}

/**
 * The sizes. Capacity is what one process may hold here (20,000 open files, less a
 * margin for the system's own files and database connections); stream clients spread over
 * processes of 5,000 streams each (bench/load/client-pool.ts).
 */
export const fullSizes: Sizes = {
  quick: false,
  runs: 3,
  pauseScale: 1,
  memoryStreams: 10_000,
  capacityStreams: 19_000,
  latencyInserts: 50,
  fanOutUsers: 10_000,
  fanOutRounds: 3,
  sustainedUsers: 1_000,
  sustainedTabs: 3,
  sustainedSeconds: 5,
  writeSeconds: 3,
  stormStreams: 10_000,
  widgetLoads: 5,
};

/** Small enough to finish in under two minutes: for building the harness, not for figures. */
export const quickSizes: Sizes = {
  quick: true,
  runs: 1,
  pauseScale: 0.3,
  memoryStreams: 500,
  capacityStreams: 1_000,
  latencyInserts: 10,
  fanOutUsers: 500,
  fanOutRounds: 2,
  sustainedUsers: 100,
  sustainedTabs: 2,
  sustainedSeconds: 1,
  writeSeconds: 0.7,
  stormStreams: 500,
  widgetLoads: 2,
};
