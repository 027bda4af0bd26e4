import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { runNpmScript, type NpmScript } from '../helpers/npm-script.js';
import { recordOutput } from '../helpers/outputs.js';
import { describeWhenAvailable } from '../helpers/requirements.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** A 1×1 PNG, #2e67b1. */
const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPQS98IAAINAUcDfR0MAAAAAElFTkSuQmCC',
  'base64',
);
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** The colour of the pixel at (x, y) of a PNG, read by the browser itself (no image library here). */
async function pixelOf(page: Page, png: Buffer, x: number, y: number): Promise<string> {
  return page.evaluate(
    async ({ source, x, y }) => {
      const image = new Image();
      image.src = source;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const [r, g, b] = context.getImageData(x, y, 1, 1).data;
      return `#${[r, g, b].map((value) => value!.toString(16).padStart(2, '0')).join('')}`;
    },
    { source: `data:image/png;base64,${png.toString('base64')}`, x, y },
  );
}

describeWhenAvailable(
  'the browser page example (examples/browser-page) in headless Chromium, against the running server',
  existsSync(CHROMIUM),
  `${CHROMIUM} is missing (apt-get install chromium)`,
  () => {
    let stack: Stack;
    let script: NpmScript;
    let pageUrl: string;
    let browser: Browser;
    beforeAll(async () => {
      // Chromium starts while the server and the page's script do: nothing of it depends on them.
      const launching = launchChromium();
      try {
        stack = await startStack();
        // The one command its README gives, on a free port, in front of this test's server.
        script = runNpmScript(['run', '--silent', 'example:page'], {
          env: { GRAPHQL_URL: `${stack.url}/graphql`, PAGE_PORT: '0' },
          onLine: recordOutput,
        });
        const started = await script.waitForLine(/Dialogs page: http:\/\/\S+/, 30_000);
        pageUrl = /http:\/\/\S+\//.exec(started)![0];
      } finally {
        browser = await launching;
      }
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      script?.cleanUp();
      await stack?.close();
    });

    it('shows a page of dialogs through the typed client and graphcache, each spelling under its canonical id, with no warnings', async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const said: string[] = [];
      page.on('console', (message) => {
        if (['warning', 'error'].includes(message.type())) said.push(message.text());
      });
      page.on('pageerror', (error) => said.push(error.message));
      const graphqlRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/graphql')) graphqlRequests.push(request.postData() ?? '');
      });

      // The demo people's pictures live on a made-up host: the test serves them (nothing leaves the
      // machine), a 1×1 PNG in the colour the screenshot is checked for.
      const pictures: string[] = [];
      await page.route('https://cdn.bitrix24.example/**', async (route) => {
        pictures.push(new URL(route.request().url()).pathname);
        await route.fulfill({ contentType: 'image/png', body: ONE_PIXEL_PNG });
      });
      const ids = ['chat21191', 'SG0103', '256', 'chat1', 'CHAT01439', 'chat666', 'nonsense'];
      await page.goto(`${pageUrl}?ids=${ids.join(',')}`);
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });

      const cards = page.locator('#dialogs .card');
      expect(await cards.count()).toBe(ids.length);
      const dialogs = page.locator('#dialogs .card.dialog');
      expect(await dialogs.locator('.title').allInnerTexts()).toEqual([
        'Mint Chat #3',
        'Marketing team',
        'Gleb Orlov',
        'General chat',
        'Чат по сделке',
      ]);
      expect(await dialogs.evaluateAll((nodes) => nodes.map((node) => node.dataset.id))).toEqual([
        'chat21191',
        'sg103',
        '256',
        'chat1',
        'chat1439',
      ]);
      // The people came with the dialogs: a chat's owner, a private dialog's other person's picture.
      expect(
        await page.locator('#dialogs .card.dialog[data-id="chat21191"] .owner-name').textContent(),
      ).toBe('owner: Boris Ivanov');
      await page
        .locator('#dialogs .card.dialog[data-id="256"] .avatar-picture')
        .evaluate((image: HTMLImageElement) => image.decode());
      expect(pictures).toContain('/upload/resize_cache/main/gleb.png');
      expect(await page.locator('#dialogs .card.notice .title').allInnerTexts()).toEqual([
        'No access to chat666',
        '“nonsense” is not a dialog id',
      ]);

      // The detail of a listed dialog comes from the normalised cache: no request leaves the page.
      const requestsBefore = graphqlRequests.length;
      await page.locator('#dialogs .card.dialog[data-id="sg103"]').click();
      await page.locator('#detail .detail[data-id="sg103"]').waitFor({ timeout: 10_000 });
      expect(graphqlRequests.length).toBe(requestsBefore);
      expect(graphqlRequests).toHaveLength(1);

      mkdirSync(ARTIFACTS, { recursive: true });
      const screenshot = await page.screenshot({ path: `${ARTIFACTS}browser-page.png` });
      // The screenshot shows each dialog's placeholder avatar in the chat's own colour.
      const avatar = await page
        .locator('#dialogs .card.dialog[data-id="chat21191"] > .avatar')
        .boundingBox();
      expect(avatar).not.toBeNull();
      const colour = await pixelOf(
        page,
        screenshot,
        Math.round(avatar!.x + 4),
        Math.round(avatar!.y + avatar!.height / 2),
      );
      expect(colour).toBe('#4ba984');
      // …and the private dialog shows its other person's picture (served above in #2e67b1).
      const picture = await page
        .locator('#dialogs .card.dialog[data-id="256"] > .avatar')
        .boundingBox();
      expect(
        await pixelOf(
          page,
          screenshot,
          Math.round(picture!.x + picture!.width / 2),
          Math.round(picture!.y + picture!.height / 2),
        ),
      ).toBe('#2e67b1');
      expect(said).toEqual([]);
      await page.close();
    }, 60_000);
  },
);
