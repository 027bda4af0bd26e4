// Jest's global setup: a fresh folder for this run's captured outputs (see helpers/outputs.ts).
import { mkdirSync, rmSync } from 'node:fs';

export const OUTPUTS_DIR = new URL('./artifacts/outputs/', import.meta.url);

export default function globalSetup() {
  rmSync(OUTPUTS_DIR, { recursive: true, force: true });
  mkdirSync(OUTPUTS_DIR, { recursive: true });
}
