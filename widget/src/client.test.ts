/**
 * The headless client on its own, in Chromium against the real server: no element, no Lit.
 * Two clients in one page share Web Locks and a BroadcastChannel as two tabs do.
 */
import { expect } from "@esm-bundle/chai";
import {
  deleteNotification,
  insertNotification,
  mintToken,
  openStreams,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import { type NotifyClient as Client, NotifyClient, type NotifyClientOptions } from "./client.ts";

const clients: Client[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function started(options: NotifyClientOptions) {
  const { server } = await serverInfo();
  const client = new NotifyClient({ server, ...options });
  const received: string[] = [];
  client.on("notification", ({ notification }) => received.push(notification.title));
  clients.push(client);
  client.start();
  await waitFor(() => client.status === "open", "the client to connect");
  return { client, received };
}

describe("NotifyClient, headless, against the real server", () => {
  it("marks seen and takes actions, with both counts from the server", async () => {
    const sub = uniqueUser("headless-rich");
    const id = await insertNotification(sub, "Invite", {
      actorName: "Ana Lima",
      actions: [{ id: "accept", label: "Accept" }],
    });
    const { client } = await started({ token: await mintToken(sub) });
    await waitFor(() => client.unseenCount === 1, "the unseen count at connect");
    await client.inbox.load("all");
    await client.inbox.markSeen([id]);
    expect([client.unreadCount, client.unseenCount]).to.deep.equal([1, 0]);
    const [item] = client.inbox.store.items;
    expect(item?.actor).to.deep.equal({ name: "Ana Lima", avatarUrl: null });
    await client.inbox.act(item as NonNullable<typeof item>, { id: "accept", label: "Accept" });
    expect(client.unreadCount).to.equal(0);
    // The stream's update for the earlier "seen" may land after the optimistic change and
    // show the row as it was then; the action's own update follows it.
    await waitFor(
      () => client.inbox.store.items[0]?.actionTaken === "accept",
      "the action taken, from the stream",
    );
  });

  it("counts a group as one and reads it as one, with the counts from the server", async () => {
    const sub = uniqueUser("headless-group");
    for (const name of ["Ana", "Bo", "Cy"]) {
      await insertNotification(sub, `${name} commented`, { groupKey: "comment:headless" });
    }
    await insertNotification(sub, "Plain");
    const { client } = await started({ token: await mintToken(sub) });
    await waitFor(() => client.unreadCount === 2, "the group counted as one");
    await client.inbox.load("unread");
    const members = client.inbox.store.items.filter((i) => i.groupKey === "comment:headless");
    expect(members.map((m) => m.title)).to.deep.equal([
      "Cy commented",
      "Bo commented",
      "Ana commented",
    ]);
    await client.inbox.group(members);
    expect(client.unreadCount).to.equal(1);
  });

  it("follows the inbox live: list, count, a new notification, an action, a deletion", async () => {
    const sub = uniqueUser("headless");
    const first = await insertNotification(sub, "first");
    const { client, received } = await started({ token: await mintToken(sub) });
    await waitFor(() => client.unreadCount === 1, "the count at connect");
    let changes = 0;
    client.on("change", () => changes++);
    await client.inbox.load("all");
    expect(client.inbox.store.items.map((i) => i.title)).to.deep.equal(["first"]);
    expect(changes).to.be.greaterThan(0);

    const second = await insertNotification(sub, "second");
    await waitFor(() => client.unreadCount === 2, "the count from the event");
    expect(received).to.deep.equal(["second"]);
    expect(client.inbox.store.items.map((i) => i.id)).to.deep.equal([second, first]);

    await client.inbox.markRead([first]);
    expect(client.unreadCount).to.equal(1);
    const deleted: string[] = [];
    client.on("delete", ({ id }) => deleted.push(id));
    await deleteNotification(second);
    await waitFor(() => deleted.length === 1, "the delete event");
    expect(deleted).to.deep.equal([second]);
    expect(client.unreadCount).to.equal(0);
    expect(client.inbox.store.items.map((i) => i.id)).to.deep.equal([first]);
  });

  it("shares one stream between two clients of a user and hands it over when one closes", async () => {
    await waitFor(async () => (await openStreams()) === 0, "streams of earlier tests to close");
    const sub = uniqueUser("headless-tabs");
    const token = await mintToken(sub);
    const a = await started({ token });
    const b = await started({ token });
    expect(await openStreams()).to.equal(1);
    await insertNotification(sub, "1");
    await waitFor(() => a.received.length === 1 && b.received.length === 1, "both to receive");
    a.client.close();
    await insertNotification(sub, "2");
    await waitFor(() => b.received.length === 2, "the event sent during the hand-over");
    expect(b.received).to.deep.equal(["1", "2"]);
    expect(a.received).to.deep.equal(["1"]);
    await waitFor(async () => (await openStreams()) === 1, "one stream, now the second's");
  });

  it("asks tokenProvider after a 401, and says when nothing can renew the token", async () => {
    const sub = uniqueUser("headless-token");
    let calls = 0;
    const { client } = await started({
      token: await mintToken(sub, { badSignature: true }),
      tokenProvider: () => {
        calls++;
        return mintToken(sub);
      },
    });
    expect(calls).to.equal(1);

    // Another user: a client of the same user would follow the first one's open stream.
    const { server } = await serverInfo();
    const other = uniqueUser("headless-refused");
    const refused = new NotifyClient({
      server,
      token: await mintToken(other, { badSignature: true }),
    });
    clients.push(refused);
    const events: string[] = [];
    refused.on("session-expired", () => events.push("session-expired"));
    refused.on("error", ({ code }) => events.push(code));
    refused.start();
    await waitFor(() => refused.status === "expired", "the session to expire");
    expect(events).to.include("session-expired");
    expect(events).to.include("unauthorized");
    expect(client.status).to.equal("open");
  });

  it("is exported by the served /widget.js, and finds its server there by default", async () => {
    const { server } = await serverInfo();
    const served = (await import(/* @vite-ignore */ `${server}/widget.js`)) as {
      NotifyClient: typeof NotifyClient;
    };
    const sub = uniqueUser("headless-served");
    const client = new served.NotifyClient({ token: await mintToken(sub) });
    clients.push(client);
    client.start();
    await waitFor(() => client.status === "open", "the client to connect");
    expect(client.server).to.equal(server);
    await insertNotification(sub, "served");
    await waitFor(() => client.unreadCount === 1, "the count");
  });

  it("drops everything of the previous user when the token names another", async () => {
    const alice = uniqueUser("headless-alice");
    const bob = uniqueUser("headless-bob");
    await insertNotification(alice, "for alice");
    const { client } = await started({ token: await mintToken(alice) });
    await client.inbox.load("all");
    expect(client.inbox.store.items.length).to.equal(1);
    const users: (string | null)[] = [];
    client.on("user", ({ user }) => users.push(user));
    client.token = await mintToken(bob);
    expect(client.inbox.store.items).to.deep.equal([]);
    expect(users).to.have.length(1);
    expect(users[0]?.endsWith(`|${bob}`)).to.equal(true);
    await waitFor(() => client.status === "open", "bob's stream");
    await insertNotification(bob, "for bob");
    await waitFor(() => client.unreadCount === 1, "bob's count");
  });
});
