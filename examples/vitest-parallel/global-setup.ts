import type { TestProject } from "vitest/node";
import { createSimulator } from "customer-sim";

declare module "vitest" {
  export interface ProvidedContext {
    /** where the simulator listens, e.g. http://127.0.0.1:53817 */
    simulatorUrl: string;
  }
}

/** One simulator for the whole run: every worker talks to it over HTTP, each in its own tenants. */
export default async function setup(project: TestProject) {
  const sim = await createSimulator();
  const { url } = await sim.listen(0);
  project.provide("simulatorUrl", url);
  return async () => {
    // What the workers did, tenant by tenant (the journal keeps the last 1,000 requests).
    const requests = sim.requests();
    const tenants = new Set(requests.map((e) => e.tenant).filter((t) => t !== null));
    const workers = new Set(requests.map((e) => e.headers["x-test-worker"]).filter((w) => w !== undefined));
    console.log(`customer-sim: ${requests.length} requests from ${tenants.size} tenants in ${workers.size} workers`);
    await sim.close();
  };
}
