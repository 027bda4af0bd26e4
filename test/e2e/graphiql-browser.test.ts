import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../helpers/process.js';
import { describeWhenAvailable } from '../helpers/requirements.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
// In CI the browser must be there (.ci/run installs it); elsewhere the run's end says why it is skipped.
describeWhenAvailable(
  'GraphiQL in a real browser (headless Chromium), demo mode',
  existsSync(CHROMIUM),
  `${CHROMIUM} is missing (apt-get install chromium)`,
  () => {
    let server: ServerProcess;
    let base: string;
    let browser: Browser;
    beforeAll(async () => {
      // The server and Chromium start side by side: neither needs the other to start.
      const [started, launched] = await Promise.allSettled([
        startServerProcess(),
        launchChromium(),
      ]);
      // Whatever did start is kept for afterAll to stop, even when the other failed.
      if (started.status === 'fulfilled') ({ server, base } = started.value);
      if (launched.status === 'fulfilled') browser = launched.value;
      for (const outcome of [started, launched])
        if (outcome.status === 'rejected') throw outcome.reason;
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      if (server) await stopServerProcess(server);
    });

    it('opens with the example query, runs it from the run button, and shows the dialog title', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const external: string[] = [];
      page.on('request', (request) => {
        if (
          !request.url().startsWith(base) &&
          !request.url().startsWith('blob:') &&
          !request.url().startsWith('data:')
        )
          external.push(request.url());
      });
      await page.goto(`${base}/graphql`);
      const run = page.locator('.graphiql-execute-button');
      await run.waitFor({ timeout: 30_000 });
      await page.getByText('DialogExample').first().waitFor({ timeout: 30_000 });
      await run.click();
      const response = page.locator('.graphiql-response');
      await response.getByText('Mint Chat #3').first().waitFor({ timeout: 30_000 });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}graphiql.png` });
      // Every line of the opening query is shown whole: none runs past the editor's visible width.
      const cutOff = await page.evaluate(() => {
        const editor = document.querySelector('.graphiql-query-editor .monaco-scrollable-element');
        const right = editor?.getBoundingClientRect().right ?? 0;
        return [...document.querySelectorAll('.graphiql-query-editor .view-line > span')]
          .filter((line) => line.getBoundingClientRect().right > right)
          .map((line) => line.textContent);
      });
      expect(cutOff).toEqual([]);
      // Monaco renders spaces as no-break spaces.
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator, not a DOM node: innerText is what the user sees
      expect((await response.innerText()).replace(/\s+/g, ' ')).toContain(
        '"title": "Mint Chat #3"',
      );
      // Everything GraphiQL needed came from this server.
      expect(external).toEqual([]);
      await page.close();
    }, 90_000);
  },
);
