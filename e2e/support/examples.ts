import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { build, type PreviewServer, preview } from "vite";

/** The example apps in examples/, each a Vite project with its own vite.config.ts. */
export const EXAMPLES = ["html", "react", "vue", "svelte"] as const;
export type Example = (typeof EXAMPLES)[number];

const root = resolve(import.meta.dirname, "../..");
const folder = (example: Example) => join(root, "examples", example);

/**
 * Builds an example as `vite build` does, into its dist/. The site backend (examples/
 * site-backend.ts) writes `NOTIFY_SERVER` from the environment into index.html.
 */
export async function buildExample(example: Example): Promise<void> {
  await build({ root: folder(example), logLevel: "error" });
}

/** Serves a built example as `vite preview` does, with the site backend's token route. */
export async function previewExample(example: Example, port: number): Promise<PreviewServer> {
  return preview({
    root: folder(example),
    logLevel: "error",
    preview: { host: "127.0.0.1", port, strictPort: true },
  });
}

/** What a framework's own checker says about a project: `file:line` of each error. */
export interface CheckResult {
  ok: boolean;
  /** The file relative to the example's folder. */
  errors: string[];
  output: string;
}

const bin = (name: string) => join(root, "node_modules/.bin", name);

/**
 * The framework's type checker, as its users run it (tsc, vue-tsc or svelte-check), on the
 * example's `mistakes/` project: the app's sources, the typings and the mistakes, so one run
 * shows both that the app is clean and that each mistake is caught.
 */
export async function typeCheckWithMistakes(
  example: "react" | "vue" | "svelte",
): Promise<CheckResult> {
  const dir = folder(example);
  const [command, args] =
    example === "svelte"
      ? [
          bin("svelte-check"),
          ["--workspace", dir, "--tsconfig", "./mistakes/tsconfig.json", "--output", "machine"],
        ]
      : [
          bin(example === "react" ? "tsc" : "vue-tsc"),
          ["-p", join(dir, "mistakes"), "--pretty", "false"],
        ];
  const { code, output } = await run(command, args);
  const errors =
    example === "svelte"
      ? [...output.matchAll(/ ERROR "([^"]+)" (\d+):\d+ /g)].map((m) => `${m[1]}:${m[2]}`)
      : [...output.matchAll(/^(\S+)\((\d+),\d+\): error /gm)].map(
          (m) => `${relative(dir, resolve(root, m[1] as string))}:${m[2]}`,
        );
  return { ok: code === 0, errors: [...new Set(errors)], output };
}

/** `file:line` of each line of an example's file (path from its folder) opening a <notify-bell>. */
export function notifyBellLines(example: Example, file: string): string[] {
  return readFileSync(join(folder(example), file), "utf8")
    .split("\n")
    .flatMap((line, index) =>
      line.trimStart().startsWith("<notify-bell") ? [`${file}:${index + 1}`] : [],
    );
}

async function run(command: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd: root,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}
