import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../test/support/stack.ts";

/**
 * The README's "Use it in your site", run as a newcomer pastes it: every `sh` block of that
 * section, in order, in one bash session, against a started server (the README's
 * `http://127.0.0.1:3000` pointed at it), and the Node token snippet as its own file. A README
 * step that stops working fails here.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Use it in your site"),
  readme.indexOf("\n## ", readme.indexOf("## Use it in your site") + 1),
);
const blocks = (language: string) =>
  [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map(
    (match) => match[1] as string,
  );

// Inside node_modules, so that the snippet's `import "jose"` resolves as in a project.
const scratch = join(root, "node_modules", ".cache", `readme-${process.pid}`);
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  mkdirSync(scratch, { recursive: true });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function bash(script: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-euo", "pipefail", "-c", script],
      { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe("the README's steps", () => {
  it("run as pasted: a tenant, a token, a notification by the CLI and by the API, listed back", async () => {
    const shell = blocks("sh").join("\n");
    expect(shell).toContain("tenant create");
    const serverUrl = stack.server.url.replace(/\/$/, "");
    const js = blocks("js");
    expect(js).toHaveLength(1);
    writeFileSync(join(scratch, "mint-token.mjs"), js[0] as string);
    // The README's blocks, then the Node snippet's token tried against the server.
    const script = `${shell.replaceAll("http://127.0.0.1:3000", serverUrl)}
NODE_TOKEN=$(node ${join(scratch, "mint-token.mjs")} user-42)
curl -sS -o /dev/null -w 'node-token %{http_code}\\n' ${serverUrl}/v1/notifications/unread-count \\
  -H "Authorization: Bearer $NODE_TOKEN"`;
    const run = await bash(script, { DATABASE_URL: stack.databaseUrl });
    expect(run.code, run.out).toBe(0);
    const titles = [...run.out.matchAll(/"title":\s*"([^"]+)"/g)].map((match) => match[1]);
    expect(titles).toContain("Your export is ready");
    expect(titles).toContain("Hello");
    const [list] = run.out.match(/\{"items":.*\}/) ?? [];
    expect(JSON.parse(list as string).items.map((item: { title: string }) => item.title)).toEqual([
      "Hello",
      "Your export is ready",
    ]);
    expect(run.out).toContain("node-token 200");
  });
});
