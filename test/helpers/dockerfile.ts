import { readFileSync } from 'node:fs';

/**
 * The Dockerfile read as data, so that tests can check it and perform its steps without a container
 * engine. Only the instructions our Dockerfile uses are understood; anything else is an error that
 * says where to teach it, so the file and its test cannot drift apart silently.
 */

export type Step =
  | { readonly kind: 'WORKDIR'; readonly path: string }
  | { readonly kind: 'ENV'; readonly name: string; readonly value: string }
  | {
      readonly kind: 'COPY';
      readonly from?: string;
      readonly sources: readonly string[];
      readonly destination: string;
    }
  | { readonly kind: 'RUN'; readonly command: string }
  | { readonly kind: 'USER'; readonly user: string }
  | { readonly kind: 'EXPOSE'; readonly port: number }
  | {
      readonly kind: 'HEALTHCHECK';
      readonly options: Readonly<Record<string, string>>;
      readonly command: readonly string[];
    }
  | { readonly kind: 'CMD'; readonly command: readonly string[] };

export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly steps: Step[];
}

export const DOCKERFILE = new URL('../../Dockerfile', import.meta.url);

/** `["node", "dist/main.js"]`: the exec form, which runs without a shell (signals reach the program). */
function execForm(text: string, where: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string'))
    throw new Error(`${where}: expected the exec form ["program", "arg", …]`);
  return parsed as string[];
}

export function parseDockerfile(text: string = readFileSync(DOCKERFILE, 'utf8')): Stage[] {
  const stages: Stage[] = [];
  // Continuation lines (a trailing backslash) join the next line; comments and blank lines go.
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const [index, line] of lines.entries()) {
    const where = `Dockerfile instruction ${index + 1} (${line.slice(0, 40)}…)`;
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = keyword.toUpperCase();
    if (instruction === 'FROM') {
      const [image = '', as, name] = rest.split(/\s+/);
      if (as !== undefined && as.toUpperCase() !== 'AS')
        throw new Error(`${where}: expected FROM image [AS name]`);
      stages.push({ image, name, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${where}: an instruction before FROM`);
    switch (instruction) {
      case 'WORKDIR':
        stage.steps.push({ kind: 'WORKDIR', path: rest });
        break;
      case 'ENV': {
        const [name = '', value = ''] = rest.split(/=(.*)/s);
        if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || /\s/.test(value))
          throw new Error(`${where}: expected ENV NAME=value (one per instruction)`);
        stage.steps.push({ kind: 'ENV', name, value });
        break;
      }
      case 'COPY': {
        const words = rest.split(/\s+/);
        const from = words[0]?.startsWith('--from=')
          ? words.shift()!.slice('--from='.length)
          : undefined;
        if (words.some((word) => word.startsWith('--')) || words.length < 2)
          throw new Error(`${where}: expected COPY [--from=stage] source… destination`);
        const destination = words.pop()!;
        stage.steps.push({
          kind: 'COPY',
          ...(from !== undefined ? { from } : {}),
          sources: words,
          destination,
        });
        break;
      }
      case 'RUN':
        if (rest.startsWith('['))
          throw new Error(
            `${where}: RUN in the shell form, please (the test runs it with sh -c, as docker does)`,
          );
        stage.steps.push({ kind: 'RUN', command: rest });
        break;
      case 'USER':
        stage.steps.push({ kind: 'USER', user: rest });
        break;
      case 'EXPOSE':
        stage.steps.push({ kind: 'EXPOSE', port: Number.parseInt(rest, 10) });
        break;
      case 'HEALTHCHECK': {
        const [, optionText = '', command = ''] = /^((?:--\S+\s+)*)CMD\s+(.*)$/.exec(rest) ?? [];
        const options = Object.fromEntries(
          optionText
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .map((option) => option.slice(2).split('=') as [string, string]),
        );
        stage.steps.push({ kind: 'HEALTHCHECK', options, command: execForm(command, where) });
        break;
      }
      case 'CMD':
        stage.steps.push({ kind: 'CMD', command: execForm(rest, where) });
        break;
      default:
        throw new Error(
          `${where}: ${instruction} is not understood by test/helpers/dockerfile.ts; teach it there and perform it in test/deploy/container-recipe.test.ts`,
        );
    }
  }
  return stages;
}

/** The steps of one kind in a stage. */
export function stepsOf<K extends Step['kind']>(
  stage: Stage,
  kind: K,
): Array<Extract<Step, { kind: K }>> {
  return stage.steps.filter((step): step is Extract<Step, { kind: K }> => step.kind === kind);
}
