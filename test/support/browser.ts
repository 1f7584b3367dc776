import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { runsWith } from './requirements.js';

/** Debian's chromium (apt-get install chromium); .ci/run installs it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Whether the browser checks run: without Chromium they skip, saying so once per file (in CI they never skip). */
export const hasChromium = runsWith(
  existsSync(chromiumPath),
  'the dashboard checks in a browser',
  `no Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`,
);

export interface RenderedPage {
  readonly screenshot: Buffer;
  /** Text of the websocket frames the page received (msgpack, so names and values show as they are). */
  readonly websocketText: string;
  /** Requests the page made to any host other than the app's. */
  readonly offHostRequests: readonly string[];
}

/** Opens `url` in headless Chromium, waits until the page's websocket has carried `waitForText`, screenshots it. */
export async function renderPage(url: string, waitForText: string, timeoutMs = 60_000): Promise<RenderedPage> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const origin = new URL(url).origin;
    const offHostRequests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        offHostRequests.push(request.url());
      }
    });
    let websocketText = '';
    const seen = new Promise<void>((resolve) => {
      page.on('websocket', (socket) => {
        socket.on('framereceived', ({ payload }) => {
          websocketText += typeof payload === 'string' ? payload : payload.toString('latin1');
          if (websocketText.includes(waitForText)) resolve();
        });
      });
    });
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    await Promise.race([
      seen,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no "${waitForText}" over the websocket in ${timeoutMs} ms`)), timeoutMs)),
    ]);
    // The frames are in; give Flutter a moment to paint them.
    await page.waitForTimeout(3_000);
    return { screenshot: await page.screenshot(), websocketText, offHostRequests };
  } finally {
    await browser.close();
  }
}

/** How many distinct colours a PNG has: a blank or splash-only page has a handful, rendered cards hundreds. */
export function distinctColours(png: Buffer): number {
  const { data } = PNG.sync.read(png);
  const colours = new Set<number>();
  for (let offset = 0; offset < data.length; offset += 4) {
    colours.add((data[offset]! << 16) | (data[offset + 1]! << 8) | data[offset + 2]!);
  }
  return colours.size;
}
