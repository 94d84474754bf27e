import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";

/** Below this share of changed pixels a picture counts as the same (anti-aliased corners vary). */
const SAME_PICTURE = 0.001;

/**
 * Saves a screenshot of `page` at `path`, unless the file already there shows the same
 * picture: so an unchanged demo leaves the tracked file, and git, untouched.
 * Returns whether the file was written.
 */
export async function saveScreenshot(browser: Browser, page: Page, path: string): Promise<boolean> {
  const taken = await page.screenshot({ animations: "disabled", caret: "hide" });
  if (existsSync(path) && (await changedShare(browser, readFileSync(path), taken)) < SAME_PICTURE) {
    return false;
  }
  writeFileSync(path, taken);
  return true;
}

/** Share of pixels that differ, decoded and compared by the browser itself (1 if sizes differ). */
async function changedShare(browser: Browser, before: Buffer, after: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ a, b }) => {
        const decode = async (base64: string) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          return createImageBitmap(new Blob([bytes], { type: "image/png" }));
        };
        const [first, second] = await Promise.all([decode(a), decode(b)]);
        if (first.width !== second.width || first.height !== second.height) return 1;
        const pixels = (image: ImageBitmap) => {
          const canvas = new OffscreenCanvas(image.width, image.height);
          const context = canvas.getContext("2d") as OffscreenCanvasRenderingContext2D;
          context.drawImage(image, 0, 0);
          return context.getImageData(0, 0, image.width, image.height).data;
        };
        const [x, y] = [pixels(first), pixels(second)];
        let changed = 0;
        for (let i = 0; i < x.length; i += 4) {
          if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) changed++;
        }
        return changed / (x.length / 4);
      },
      { a: before.toString("base64"), b: after.toString("base64") },
    );
  } finally {
    await page.close();
  }
}
