import { expect } from "@esm-bundle/chai";
import {
  insertNotification,
  mintToken,
  serverInfo,
  startServer,
  stopServer,
  uniqueUser,
  waitFor,
} from "../../test/notify-server.ts";
import type { LiveStatus } from "../types.ts";
import { parseLiveEvent } from "./live-event.ts";
import type { SseMessage } from "./sse-parser.ts";
import { EventStream } from "./stream.ts";
import { TokenSource } from "./token.ts";

async function open(sub: string, token: string) {
  const { server } = await serverInfo();
  const auth = new TokenSource(() => {});
  auth.set(token);
  const messages: SseMessage[] = [];
  const statuses: LiveStatus[] = [];
  const cursors: string[] = [];
  const errors: string[] = [];
  const stream = new EventStream({
    url: `${server}/v1/stream`,
    auth,
    onError: (e) => errors.push(e.code),
    onMessage: (m) => messages.push(m),
    onCursor: (id) => cursors.push(id),
    onStatus: (s) => statuses.push(s),
  });
  stream.start();
  await waitFor(() => cursors.length > 0, `the cursor line for ${sub}`);
  const titles = () =>
    messages.map(parseLiveEvent).flatMap((e) => (e && "item" in e ? [e.item.title] : []));
  return { stream, auth, messages, statuses, cursors, errors, titles };
}

describe("EventStream against the real server", () => {
  it("receives a row inserted with SQL, with its unread count", async () => {
    const sub = uniqueUser("stream");
    const s = await open(sub, await mintToken(sub));
    await insertNotification(sub, "hello");
    await waitFor(() => s.messages.length === 1, "the notification");
    const event = parseLiveEvent(s.messages[0] as SseMessage);
    expect(event?.type).to.equal("notification");
    expect(event && "item" in event && event.item.unreadCount).to.equal(1);
    expect(s.statuses).to.include("open");
    s.stream.close();
  });

  it("resumes after the server restarts, without loss or duplicates", async () => {
    const sub = uniqueUser("resume");
    const s = await open(sub, await mintToken(sub));
    await insertNotification(sub, "before");
    await waitFor(() => s.titles().length === 1, "the first notification");
    await stopServer();
    await insertNotification(sub, "while down 1");
    await insertNotification(sub, "while down 2");
    await waitFor(() => s.statuses.includes("offline"), "the stream to notice");
    // Several failed attempts while the server is down...
    await waitFor(() => s.statuses.filter((st) => st === "offline").length >= 3, "retries", 10000);
    await startServer();
    await insertNotification(sub, "after");
    await waitFor(() => s.titles().length >= 4, "every notification", 15000);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.titles()).to.deep.equal(["before", "while down 1", "while down 2", "after"]);
    expect(s.messages.map((m) => m.event)).to.deep.equal(Array(4).fill("notification"));
    // ...reported to the page once.
    expect(s.errors).to.deep.equal(["network"]);
    s.stream.close();
  });

  it("asks the token provider after a 401 and resumes", async () => {
    const sub = uniqueUser("refresh");
    let calls = 0;
    const good = await mintToken(sub);
    const { server } = await serverInfo();
    const auth = new TokenSource(() => {});
    auth.provider = async () => {
      calls++;
      return good;
    };
    auth.set(await mintToken(sub, { badSignature: true }));
    const messages: SseMessage[] = [];
    const cursors: string[] = [];
    const stream = new EventStream({
      url: `${server}/v1/stream`,
      auth,
      onMessage: (m) => messages.push(m),
      onCursor: (id) => cursors.push(id),
    });
    stream.start();
    await waitFor(() => calls === 1 && auth.current === good, "the provider call");
    // A stream opened without Last-Event-ID starts after what is already committed: insert
    // once it has said where it starts.
    await waitFor(() => cursors.length > 0, "the stream's first id");
    await insertNotification(sub, "after refresh");
    await waitFor(() => messages.length === 1, "the notification");
    stream.close();
  });

  it("gets a new token and resumes when the server ends the stream at the token's exp", async () => {
    const sub = uniqueUser("expiry");
    const s = await open(sub, await mintToken(sub, { ttlSeconds: 2 }));
    let calls = 0;
    s.auth.provider = () => {
      calls++;
      return mintToken(sub);
    };
    await waitFor(() => s.statuses.filter((st) => st === "open").length >= 2, "a reconnect", 6000);
    expect(calls).to.equal(1);
    await insertNotification(sub, "after expiry");
    await waitFor(() => s.titles().includes("after expiry"), "the notification");
    s.stream.close();
  });

  it("stops for good when the server closes it for a newer stream of the same user", async () => {
    const sub = uniqueUser("limit");
    const token = await mintToken(sub);
    const s = await open(sub, token);
    const { server } = await serverInfo();
    const others = await Promise.all(
      [1, 2, 3, 4].map(() =>
        fetch(`${server}/v1/stream`, { headers: { Authorization: `Bearer ${token}` } }),
      ),
    );
    await waitFor(() => s.errors.includes("stream_limit"), "the stream_limit error");
    const opens = s.statuses.filter((st) => st === "open").length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(s.statuses.filter((st) => st === "open").length).to.equal(opens);
    for (const other of others) await other.body?.cancel();
    s.stream.close();
  });

  it("stops and reports when a 401 cannot be fixed", async () => {
    const sub = uniqueUser("final401");
    const { server } = await serverInfo();
    const auth = new TokenSource(() => {});
    auth.set(await mintToken(sub, { badSignature: true }));
    const errors: string[] = [];
    const statuses: LiveStatus[] = [];
    const stream = new EventStream({
      url: `${server}/v1/stream`,
      auth,
      onMessage: () => {},
      onError: (e) => errors.push(e.code),
      onStatus: (st) => statuses.push(st),
    });
    stream.start();
    await waitFor(() => errors.length > 0, "the error");
    expect(errors).to.deep.equal(["unauthorized"]);
    expect(statuses.at(-1)).to.equal("offline");
    stream.close();
  });
});
