// OpenAPI 3.1 document for /plane/openapi.json, generated from the zod schemas on first use.
import type * as z from "zod";
import { componentRef, componentSchema } from "../../core/json-schema.js";
import {
  badRequestSchema,
  customerPageSchema,
  customerSchema,
  customerWriteSchema,
  detailErrorSchema,
  errorSchema,
  fieldErrorsSchema,
  rateLimitErrorSchema,
} from "./schemas.js";

type Json = Record<string, unknown>;

let cached: Json | undefined;

// Recursive definitions (z.json()) land here and are added to components.schemas.
const hoisted: Record<string, unknown> = {};

function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  return componentSchema(schema, io, hoisted, "Json");
}

const ref = componentRef;
const jsonResponse = (description: string, schema: string) => ({ description, content: { "application/json": { schema: ref(schema) } } });

const common = {
  "401": jsonResponse("No credentials: Authentication credentials were not provided.", "Detail"),
  "403": jsonResponse("Unknown API key, a role without customer rights, or a missing OAuth scope.", "Detail"),
  "404": jsonResponse("The workspace (or the customer) does not exist.", "Error"),
  "429": jsonResponse("Rate limited (60 requests/min per key, when limits are on).", "RateLimitError"),
};

export function openApiDocument(): Json {
  if (cached) return cached;
  const slug = { name: "slug", in: "path", required: true, description: "The workspace slug.", schema: { type: "string" } };
  const pk = { name: "pk", in: "path", required: true, description: "The customer id.", schema: { type: "string", format: "uuid" } };
  const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
  const invalid = jsonResponse("Field errors (every failing field), or a JSON parse error (a body that is not JSON or is nested too deeply).", "BadRequest");
  // Bodies the app refuses before validation (spec: simulator.md#limits-every-provider-shares).
  const refusedBody = {
    "413": jsonResponse("Body over 1 MB: `Request body too large.`", "Detail"),
    "415": jsonResponse("A body that is not JSON (decision: form and multipart are not simulated): `Unsupported media type \"<type>\" in request.`", "Detail"),
  };
  cached = {
    openapi: "3.1.0",
    info: { title: "Plane API (customer-sim)", version: "0.1.0", description: "Simulated Plane customers API (Django REST Framework)." },
    servers: [{ url: "/plane" }],
    security: [{ api_key: [] }],
    paths: {
      "/api/v1/workspaces/{slug}/customers/": {
        parameters: [slug],
        get: {
          operationId: "list_customers",
          summary: "List customers",
          parameters: [
            { name: "query", in: "query", schema: { type: "string" }, description: "Name contains (case-insensitive)." },
            { name: "per_page", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
            { name: "cursor", in: "query", schema: { type: "string", pattern: "^-?\\d+:-?\\d+:-?\\d+$" }, description: "`<per_page>:<page>:<is_prev>`; the first page is `100:0:0`." },
          ],
          responses: { "200": jsonResponse("A page of customers, newest first.", "PaginatedCustomers"), "400": jsonResponse("Bad pagination parameter.", "Detail"), ...common },
        },
        post: {
          operationId: "create_customer",
          summary: "Create customer (upsert by external reference, then by name)",
          requestBody: body("CustomerWrite"),
          responses: {
            "201": jsonResponse("Customer created.", "Customer"),
            "200": jsonResponse("An existing customer matched (external_source + external_id, then name) and was updated.", "Customer"),
            "400": invalid,
            ...refusedBody,
            ...common,
          },
        },
        delete: {
          operationId: "delete_customer_by_external_id",
          summary: "Delete customers by external reference",
          parameters: [
            { name: "external_source", in: "query", required: true, schema: { type: "string" } },
            { name: "external_id", in: "query", required: true, schema: { type: "string" } },
          ],
          responses: { "204": { description: "Deleted (also when nothing matched)." }, "400": jsonResponse("A parameter is missing.", "Detail"), ...common },
        },
      },
      "/api/v1/workspaces/{slug}/customers/{pk}/": {
        parameters: [slug, pk],
        get: { operationId: "retrieve_customer", summary: "Retrieve customer", responses: { "200": jsonResponse("The customer.", "Customer"), ...common } },
        patch: {
          operationId: "update_customer",
          summary: "Update customer",
          requestBody: body("CustomerWrite"),
          responses: { "200": jsonResponse("The updated customer.", "Customer"), "400": invalid, ...refusedBody, ...common },
        },
        delete: { operationId: "delete_customer", summary: "Delete customer (soft)", responses: { "204": { description: "Deleted." }, ...common } },
      },
    },
    components: {
      securitySchemes: {
        api_key: { type: "apiKey", in: "header", name: "X-API-Key", description: "A workspace user's API key (plane_api_...)." },
        oauth_token: { type: "http", scheme: "bearer", description: "An OAuth access token with customers:read / customers:write." },
      },
      schemas: {
        CustomerWrite: schemaOf(customerWriteSchema(), "input"),
        Customer: schemaOf(customerSchema(), "output"),
        PaginatedCustomers: schemaOf(customerPageSchema(), "output"),
        FieldErrors: schemaOf(fieldErrorsSchema(), "output"),
        BadRequest: schemaOf(badRequestSchema(), "output"),
        Detail: schemaOf(detailErrorSchema(), "output"),
        Error: schemaOf(errorSchema(), "output"),
        RateLimitError: schemaOf(rateLimitErrorSchema(), "output"),
        ...hoisted,
      },
    },
  };
  return cached;
}
