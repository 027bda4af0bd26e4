import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseDockerfile } from '../helpers/dockerfile.js';

/** The supported Node lines are stated in four places; they must say the same. */

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const engineLines = engines.split('||').map((range) => Number(/(\d+)\./.exec(range)?.[1]));
const ciRun = read('.ci/run');

describe('supported Node lines', () => {
  it('package.json "engines" names the even lines 20 to 26', () => {
    expect(engineLines).toEqual([20, 22, 24, 26]);
  });

  it('.ci/run runs the suite on each of them, and the deployment tier on the newest', () => {
    expect(
      /SUPPORTED_LINES="\$\{NODE_LINES:-([\d ]+)\}"/.exec(ciRun)?.[1]?.split(' ').map(Number),
    ).toEqual(engineLines);
    expect(Number(/IMAGE_LINE=(\d+)/.exec(ciRun)?.[1])).toBe(Math.max(...engineLines));
  });

  it('the container image is on the newest (the active LTS) line', () => {
    for (const stage of parseDockerfile())
      expect(stage.image).toMatch(new RegExp(`^node:${Math.max(...engineLines)}[.-]`));
  });

  it('the README states the lines, the engines range and the recommendation', () => {
    const readme = read('README.md');
    expect(readme).toContain(
      `Node.js **${engineLines.slice(0, -1).join(', ')} or ${engineLines.at(-1)}**`,
    );
    expect(readme).toContain(`we recommend **${Math.max(...engineLines)}**`);
    expect(readme).toContain(
      `\`engines\`: \`${engines.replace(/\.0\.0/g, '').replace(/(\d+\.\d+)\.0/g, '$1')}\``,
    );
  });
});
