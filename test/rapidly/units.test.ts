import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/core/domain-errors.js";
import { validateEmail } from "../../src/simulators/rapidly/email.js";
import type { CustomerRow, MemberRow } from "../../src/simulators/rapidly/model.js";
import { pythonJsonError } from "../../src/core/pyjson.js";
import { planCreate, planDelete, planUpdate, type CustomerLookup } from "../../src/simulators/rapidly/rules.js";
import { uuid4Issue } from "../../src/simulators/rapidly/uuid.js";

const NOW = "2025-06-01T12:00:00.000000Z";

function customer(over: Partial<CustomerRow> = {}): CustomerRow {
  return {
    id: "c1", workspace_id: "w", created_at: "2025-01-01T00:00:00.000000Z", modified_at: null, metadata: { a: 1 },
    external_id: null, email: "Ann@example.com", email_verified: true, name: "Ann", billing_address: null, deleted_at: null,
    type: "individual", ...over,
  };
}
function owner(over: Partial<MemberRow> = {}): MemberRow {
  return {
    id: "m1", workspace_id: "w", customer_id: "c1", created_at: "2025-01-01T00:00:00.000000Z", modified_at: null, deleted_at: null,
    email: "Ann@example.com", name: "Ann", external_id: null, role: "owner", ...over,
  };
}
const empty: CustomerLookup = { byEmail: () => undefined, byExternalId: () => undefined };
function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe("rule_violation");
    return (e as DomainError).details.issues!.map((i) => i.message);
  }
  throw new Error("no violation");
}

describe("rules.planUpdate", () => {
  it("an email change syncs the owner of an individual and of a legacy null type, not of a team", () => {
    for (const type of ["individual", null] as const) {
      const plan = planUpdate(customer({ type }), [owner()], { email: "new@example.com" }, empty, NOW);
      expect(plan.customer).toMatchObject({ email: "new@example.com", email_verified: false, modified_at: NOW });
      expect(plan.members).toEqual([{ ...owner(), email: "new@example.com", modified_at: NOW }]);
    }
    const team = planUpdate(customer({ type: "team" }), [owner()], { email: "new@example.com" }, empty, NOW);
    expect(team.members).toEqual([]);
  });

  it("email taken by another customer; the same customer holding it is fine", () => {
    const other = customer({ id: "c2" });
    expect(violations(() => planUpdate(customer(), [], { email: "b@example.com" }, { ...empty, byEmail: () => other }, NOW)))
      .toEqual(["A customer with this email address already exists."]);
    const self = customer();
    expect(planUpdate(self, [], { email: "ANN@example.com" }, { ...empty, byEmail: () => self }, NOW).customer.email).toBe("Ann@example.com");
  });

  it("does not mutate its inputs", () => {
    const current = customer({ external_id: null });
    const snapshot = structuredClone(current);
    planUpdate(current, [owner()], { name: "Z", metadata: { b: 2 }, external_id: "x", email: "z@example.com", type: "team" }, empty, NOW);
    expect(current).toEqual(snapshot);
  });

  it("collects all violations", () => {
    const current = customer({ type: "team", external_id: "e1" });
    expect(violations(() => planUpdate(current, [], { billing_address: null, external_id: "e2", type: null }, empty, NOW))).toEqual([
      "Customer billing address cannot be reset to null once set.",
      "Customer external ID cannot be updated.",
      "Customer type cannot be downgraded from 'team' to 'individual'.",
    ]);
  });

  it("type null on an individual keeps the type (decision)", () => {
    expect(planUpdate(customer(), [], { type: null }, empty, NOW).customer.type).toBe("individual");
  });
});

describe("rules.planCreate / planDelete", () => {
  it("create defaults and owner", () => {
    const plan = planCreate("w", { email: "a@example.com" }, empty, { customerId: "c9", ownerId: "m9" }, NOW);
    expect(plan.customer).toMatchObject({ id: "c9", type: "individual", metadata: {}, email_verified: false, modified_at: null, created_at: NOW });
    expect(plan.members[0]).toMatchObject({ id: "m9", customer_id: "c9", role: "owner", email: "a@example.com" });
  });

  it("delete frees the external id into metadata.__external_id and deletes live members", () => {
    const plan = planDelete(customer({ external_id: "e1" }), [owner(), owner({ id: "m2", deleted_at: "x" })], NOW);
    expect(plan.customer).toMatchObject({ deleted_at: NOW, external_id: null, metadata: { a: 1, __external_id: "e1" } });
    expect(plan.members.map((m) => [m.id, m.deleted_at])).toEqual([["m1", NOW]]);
    expect(planDelete(customer(), [], NOW).customer.metadata).toEqual({ a: 1 });
  });
});

describe("pythonJsonError", () => {
  it("agrees that valid JSON is valid", () => {
    for (const s of ['{"a": [1, 2.5e3, -0, true, false, null, "x\\u00e9"]}', "[]", " 1 ", '"s"']) expect(pythonJsonError(s)).toBeNull();
  });
  it("counts positions in code points", () => {
    expect(pythonJsonError('{"😀": }')).toEqual({ msg: "Expecting value", pos: 6 });
  });
  it("reports recursion past the depth limit", () => {
    expect(pythonJsonError("[".repeat(2000))).toEqual({ recursion: true });
  });
});

describe("uuid4Issue", () => {
  it("accepts uuid4 in any accepted form", () => {
    for (const s of ["0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b", "0B6F1F5E2B8C4D6E9A513C1D2E4F5A6B", "{0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b}", "urn:uuid:0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b"]) {
      expect(uuid4Issue(s, ["path", "id"])).toBeNull();
    }
  });
  it("the nil UUID is version 0", () => {
    expect(uuid4Issue("00000000-0000-0000-0000-000000000000", ["path", "id"])?.type).toBe("uuid_version");
  });
});

describe("validateEmail", () => {
  it("normalises the domain only", () => {
    expect(validateEmail(" Ann.Lee@Example.COM ")).toEqual({ ok: true, normalized: "Ann.Lee@example.com" });
    expect(validateEmail("Ann Lee <ann@Example.com>")).toEqual({ ok: true, normalized: "ann@example.com" });
    expect(validateEmail("josé@exämple.com")).toEqual({ ok: true, normalized: "josé@exämple.com" });
  });
});
