import { describe, expect, it } from "vitest";
import { addTenantFault, journalOf, useTenants } from "./tenants.js";

// Runs in its own worker process, at the same time as the other test files, against the same
// simulator: everything below happens in this file's own tenants.
const tenants = useTenants();

describe("billing", () => {
  it("works in its own tenant of every provider", async () => {
    expect(tenants.length).toBeGreaterThan(0);
    for (const t of tenants) {
      const res = await fetch(t.listUrl, { headers: t.headers });
      expect(res.status, t.provider).toBe(200);
    }
  });

  it("sees a tenant-scoped fault once, then recovers, and its journal holds only its own requests", async () => {
    for (const t of tenants) {
      await addTenantFault(t, { status: 503, times: 1 });
      expect((await fetch(t.listUrl, { headers: t.headers })).status, t.provider).toBe(503);
      expect((await fetch(t.listUrl, { headers: t.headers })).status, t.provider).toBe(200);
      const journal = await journalOf(t);
      expect(journal.map((e) => e.status), t.provider).toEqual([200, 503, 200]);
      expect(journal.every((e) => e.tenant === t.tenant.id)).toBe(true);
    }
  });
});
