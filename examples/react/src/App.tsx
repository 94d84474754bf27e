import { useState } from "react";

type NotifyBell = HTMLElementTagNameMap["notify-bell"];

/** The site's backend mints the user's token; the element asks again before it expires. */
async function fetchToken(): Promise<string> {
  const response = await fetch("/api/notify-token");
  return ((await response.json()) as { token: string }).token;
}

/**
 * React 19 sets `tokenProvider` as a property only once `/widget.js` has loaded, so it is set
 * from a ref, which works in either order.
 */
function provideToken(bell: NotifyBell | null) {
  if (bell) bell.tokenProvider = fetchToken;
}

export function App() {
  const [clicked, setClicked] = useState("nothing yet");
  return (
    <>
      <header>
        <h1>React</h1>
        <notify-bell
          ref={provideToken}
          placement="bottom-end"
          onnotify-click={(event) => {
            if (event.detail.newTab) return; // Ctrl/Cmd-click: the browser opens a tab
            event.preventDefault();
            setClicked(event.detail.notification.title);
          }}
        />
      </header>
      <main>
        <p>
          Last clicked: <output id="last-click">{clicked}</output>
        </p>
      </main>
    </>
  );
}
