import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { buildApp } from "../../support/built-app";

declare module "vitest" {
  export interface ProvidedContext {
    e2eBuildDir: string;
  }
}

/**
 * Once per run of the e2e project: `npm run build` into a scratch directory (about a minute), which
 * every e2e test file then serves with its own `npm start`, database and queue prefix.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const buildDir = await buildApp();
  console.log(`e2e: app built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  project.provide("e2eBuildDir", buildDir);
  return async () => {
    await rm(buildDir, { recursive: true, force: true });
  };
}
