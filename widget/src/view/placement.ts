/**
 * Where the panel opens against the bell. Browsers with CSS anchor positioning do it all in
 * CSS (`notify-bell.styles.ts`: `position-area` and `position-try-fallbacks`); this is the
 * measured fallback for the others, with the same rules: the preferred side first, then
 * flipped vertically, horizontally, both; the first that fits the viewport wins, else the
 * preferred one, shifted and shortened to stay inside it.
 */

export type Placement = "bottom-end" | "bottom-start" | "top-end" | "top-start";

export const PLACEMENTS: readonly Placement[] = [
  "bottom-end",
  "bottom-start",
  "top-end",
  "top-start",
];

/** Keeps the panel this far from the bell and from the viewport's edges. */
const GAP = 6;

export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface Position {
  top: number;
  left: number;
  /** Set only when the panel must be shortened to fit. */
  maxHeight: number | null;
}

/** An unknown value (a typo in the attribute) reads as the default. */
export function parsePlacement(value: string | null | undefined): Placement {
  return PLACEMENTS.find((p) => p === value) ?? "bottom-end";
}

export function measuredPosition(
  anchor: Rect,
  panel: { width: number; height: number },
  viewport: { width: number; height: number },
  placement: Placement,
  rtl = false,
): Position {
  const [side, align] = placement.split("-") as ["top" | "bottom", "start" | "end"];
  const flip = { top: "bottom", bottom: "top", start: "end", end: "start" } as const;
  const tries: [typeof side, typeof align][] = [
    [side, align],
    [flip[side], align],
    [side, flip[align]],
    [flip[side], flip[align]],
  ];
  const place = ([s, a]: (typeof tries)[number]) => {
    // `end` lines the panel's end edge up with the bell's: the right edge, or the left in RTL.
    const rightAligned = (a === "end") !== rtl;
    const left = rightAligned ? anchor.left + anchor.width - panel.width : anchor.left;
    const top = s === "bottom" ? anchor.top + anchor.height + GAP : anchor.top - GAP - panel.height;
    return { top, left };
  };
  const fits = ({ top, left }: { top: number; left: number }) =>
    left >= 0 &&
    top >= 0 &&
    left + panel.width <= viewport.width &&
    top + panel.height <= viewport.height;
  const chosen = tries.map(place).find(fits);
  if (chosen) return { ...chosen, maxHeight: null };
  // Nothing fits whole: the side with more room, shortened to it, shifted inside sideways.
  const below = viewport.height - (anchor.top + anchor.height) - 2 * GAP;
  const above = anchor.top - 2 * GAP;
  const maxHeight = Math.max(0, Math.min(panel.height, Math.max(below, above)));
  const top = below >= above ? anchor.top + anchor.height + GAP : anchor.top - GAP - maxHeight;
  const maxLeft = Math.max(GAP, viewport.width - panel.width - GAP);
  const left = Math.min(Math.max(place([side, align]).left, GAP), maxLeft);
  return { top, left, maxHeight };
}
