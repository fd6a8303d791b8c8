// OpenAPI 3.1 document for /flextell/openapi.json, generated from the zod schemas on first use.
import type * as z from "zod";
import { componentRef, componentSchema, jsonContent } from "../../core/json-schema.js";
import {
  customerCreateSchema,
  customerEnvelopeSchema,
  customerPageSchema,
  customerUpdateSchema,
  deletedEnvelopeSchema,
  GENDERS,
  messageSchema,
  SORT_FIELDS,
  SORT_ORDERS,
  validationErrorSchema,
} from "./schemas.js";

type Json = Record<string, unknown>;

let cached: Json | undefined;

const schemaOf = (schema: z.ZodType, io: "input" | "output"): Json => componentSchema(schema, io);

const ref = componentRef;
const message = (description: string) => ({ description, content: jsonContent("Message") });

const common = {
  "401": message("No, unknown or expired token: `Unauthenticated.`"),
  "403": message("X-Tenant is not a number or not one of the user's tenants: `This action is unauthorized.`"),
  "429": message("Rate limited (`--rate-limits real`): `Too Many Attempts.`, Retry-After"),
};
const notFound = message("Another tenant's customer, a deleted one or no such id: `No query results for model [App\\Models\\Customer] <id>`");
const invalid = { description: "Validation failed (Laravel's shape, every failing field)", content: jsonContent("ValidationError") };
const malformed = message("Malformed JSON, or a JSON body that is not an object: `Malformed JSON body.`");
const bodyErrors = {
  "400": malformed,
  "413": message("Body over 1 MB: `Request body too large.`"),
  "415": message("A body neither JSON nor form-urlencoded: `Unsupported Media Type.`"),
};

export function openApiDocument(): Json {
  if (cached) return cached;
  const tenantHeader = {
    name: "X-Tenant",
    in: "header",
    required: false,
    description: "Tenant identifier; without it, the user's first (lowest) tenant.",
    schema: { type: "integer" },
  };
  const idParam = { name: "id", in: "path", required: true, description: "The customer identifier", schema: { type: "integer" } };
  const q = (name: string, schema: Json, description: string) => ({ name, in: "query", required: false, description, schema });
  cached = {
    openapi: "3.1.0",
    info: { title: "Flextell API (customer-sim)", version: "0.1.0", description: "Simulated Flextell customers API (Laravel 11 + Passport)." },
    servers: [{ url: "/flextell" }],
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/customers": {
        parameters: [tenantHeader],
        get: {
          operationId: "customers.index",
          summary: "Get all customers",
          parameters: [
            q("search", { type: "string", maxLength: 255 }, "Matches first name, last name, email or phone."),
            q("per_page", { type: "integer", minimum: 1, maximum: 100, default: 15 }, "Page size."),
            q("page", { type: "integer", minimum: 1, default: 1 }, "Page number."),
            q("sort_by", { type: "string", enum: SORT_FIELDS, default: "created_at" }, "Sort field."),
            q("sort_order", { type: "string", enum: SORT_ORDERS, default: "desc" }, "Sort direction."),
            q("gender", { type: "string", enum: GENDERS }, "Only customers of this gender."),
          ],
          responses: { "200": { description: "A page of customers", content: jsonContent("CustomerPage") }, ...common, "422": invalid },
        },
        post: {
          operationId: "customers.store",
          summary: "Create a customer",
          requestBody: { required: true, content: jsonContent("CustomerCreate") },
          responses: { "201": { description: "Created", content: jsonContent("CustomerEnvelope") }, ...bodyErrors, ...common, "422": invalid },
        },
      },
      "/api/v1/customers/{id}": {
        parameters: [idParam, tenantHeader],
        get: {
          operationId: "customers.show",
          summary: "Get a customer",
          responses: { "200": { description: "The customer", content: jsonContent("CustomerEnvelope") }, ...common, "404": notFound },
        },
        put: {
          operationId: "customers.update",
          summary: "Update a customer (only the fields sent change)",
          requestBody: { required: true, content: jsonContent("CustomerUpdate") },
          responses: { "200": { description: "Updated", content: jsonContent("CustomerEnvelope") }, ...bodyErrors, ...common, "404": notFound, "422": invalid },
        },
        patch: {
          operationId: "customers.patch",
          summary: "Update a customer (partial)",
          requestBody: { required: true, content: jsonContent("CustomerUpdate") },
          responses: { "200": { description: "Updated", content: jsonContent("CustomerEnvelope") }, ...bodyErrors, ...common, "404": notFound, "422": invalid },
        },
        delete: {
          operationId: "customers.destroy",
          summary: "Delete a customer (soft delete)",
          responses: { "200": { description: "Deleted", content: jsonContent("DeletedEnvelope") }, ...common, "404": notFound },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A Passport access token (see /__admin/fixtures)." },
      },
      schemas: {
        CustomerCreate: schemaOf(customerCreateSchema(), "input"),
        CustomerUpdate: schemaOf(customerUpdateSchema(), "input"),
        Customer: schemaOf(customerEnvelopeSchema().shape.data, "output"),
        CustomerEnvelope: schemaOf(customerEnvelopeSchema(), "output"),
        DeletedEnvelope: schemaOf(deletedEnvelopeSchema(), "output"),
        CustomerPage: schemaOf(customerPageSchema(), "output"),
        ValidationError: schemaOf(validationErrorSchema(), "output"),
        Message: schemaOf(messageSchema(), "output"),
      },
    },
  };
  return cached;
}
