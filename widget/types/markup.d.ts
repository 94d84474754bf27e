// What every framework's typings share: the element's attributes and its events, from the
// class and the one event map (src/events.ts), so the typings cannot drift from the element.
import type { NotifyBell, NotifyEventMap } from "../src/index.ts";

/** Lit's declared properties, less those without an attribute (`attribute: false`, state). */
type Declared = typeof NotifyBell.properties;
type AttributeName = {
  [K in keyof Declared]: Declared[K] extends { attribute: unknown } | { state: unknown }
    ? never
    : K;
}[keyof Declared];

/**
 * The properties that are also attributes, as the class declares them (a new one is typed
 * here with no change). A framework that renders before `/widget.js` has loaded sets them
 * as attributes, which the element reads when it upgrades, so they work in any load order.
 */
export type NotifyBellAttributes = Partial<Pick<NotifyBell, AttributeName & keyof NotifyBell>>;

/** `notify-click` → `NotifyClick`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<S>;

/** Listeners named `on` + the event's name, as React 19 and Svelte 5 attach them: `onnotify-click`. */
export type NotifyBellEventAttributes = {
  [K in keyof NotifyEventMap as `on${K}`]?: (event: NotifyEventMap[K]) => void;
};

/** Listeners as Vue names them (`@notify-click` is the prop `onNotifyClick`). */
export type NotifyBellVueEvents = {
  [K in keyof NotifyEventMap as `on${Pascal<K>}`]?: (event: NotifyEventMap[K]) => void;
};

export type { NotifyBell, NotifyEventMap };
