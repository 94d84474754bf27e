// Mistakes the shipped typings must catch: `tsc -p examples/react/mistakes` reports an error
// on each line with a <notify-bell>, and on no other (e2e/examples.test.ts checks).
export const mistakes = (
  <>
    <notify-bell placment="top-start" />
    <notify-bell placement="middle" />
    <notify-bell theme="sepia" />
    <notify-bell tokenProvider={() => "set it from a ref"} />
    <notify-bell onnotify-click={(event) => event.detail.notification.titel} />
    <notify-bell onnotify-receive={(event: CustomEvent<{ count: number }>) => event.detail.count} />
    <notify-bell open="yes" />
  </>
);
