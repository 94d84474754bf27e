// Mistakes the shipped typings must catch. `tsc -p examples/react/mistakes` checks this file
// with the app: an error on each line with a <notify-bell> here, none anywhere else
// (e2e/examples.test.ts).
export const mistakes = (
  <>
    <notify-bell placment="top-start" />
    <notify-bell placement="middle" />
    <notify-bell theme="sepia" />
    <notify-bell tokenProvider={() => "set it from a ref"} />
    <notify-bell onnotify-click={(event) => event.detail.notification.titel} />
    <notify-bell onnotify-receive={(event: CustomEvent<{ count: number }>) => event.detail.count} />
    <notify-bell open="yes" />
    <notify-bell badge="everything" />
  </>
);
