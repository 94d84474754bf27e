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

export const fullSizes: Sizes = {
  quick: false,
  runs: 2,
  pauseScale: 1,
  memoryStreams: 5_000,
  capacityStreams: 6_000,
  latencyInserts: 50,
  fanOutUsers: 5_000,
  fanOutRounds: 3,
  sustainedUsers: 500,
  sustainedTabs: 2,
  sustainedSeconds: 3,
  writeSeconds: 3,
  stormStreams: 4_000,
  widgetLoads: 5,
};

export const quickSizes: Sizes = {
  quick: true,
  runs: 1,
  pauseScale: 0.3,
  memoryStreams: 1_000,
  capacityStreams: 1_500,
  latencyInserts: 10,
  fanOutUsers: 1_000,
  fanOutRounds: 2,
  sustainedUsers: 100,
  sustainedTabs: 2,
  sustainedSeconds: 1,
  writeSeconds: 0.7,
  stormStreams: 1_000,
  widgetLoads: 2,
};
