// OpenAPI 3.1 document for /rapidly/openapi.json, generated from the zod schemas on first use.
import * as z from "zod";
import { componentSchema } from "../../core/json-schema.js";
import {
  customerCreateSchema,
  customerListSchema,
  customerSchema,
  customerUpdateExternalSchema,
  customerUpdateSchema,
  errorSchema,
  metadataValueSchema,
  SORT_VALUES,
  validationErrorSchema,
} from "./schemas.js";
import { webhookPaths, webhookSchemas } from "./webhooks/openapi.js";

type Json = Record<string, unknown>;

let cached: Json | undefined;

const schemaOf = (schema: z.ZodType, io: "input" | "output"): Json => componentSchema(schema, io);

/** Metadata and country are transforms over unknown input: describe what they accept. */
function patchBody(schema: Json): Json {
  const props = schema.properties as Record<string, Json> | undefined;
  if (!props) return schema;
  const metadataValue = schemaOf(metadataValueSchema(), "input");
  if (props.metadata) {
    props.metadata = {
      ...props.metadata,
      type: "object",
      maxProperties: 50,
      propertyNames: { minLength: 1, maxLength: 40 },
      additionalProperties: metadataValue,
    };
  }
  const address = (props.billing_address?.anyOf as Json[] | undefined)?.find((s) => s.type === "object");
  const addressProps = address?.properties as Record<string, Json> | undefined;
  if (addressProps?.country) {
    addressProps.country = { type: "string", description: "ISO 3166-1 alpha-2 country code (case-insensitive)." };
  }
  return schema;
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const validationResponse = {
  description: "Validation error",
  content: { "application/json": { schema: { $ref: "#/components/schemas/ValidationError" } } },
};

function customerResponse(description: string) {
  return { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Customer" } } } };
}

function requestBody(ref: string) {
  return { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } };
}

// Bodies the app refuses before validation: over 1 MB (413, spec: simulator.md#limits), and JSON
// nested past CPython's recursion limit (FastAPI's 400 for a body it cannot parse).
const bodyErrors = {
  "400": { description: "The body could not be parsed (e.g. nested too deep)", content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPError" } } } },
  "413": errorResponse("The request body is larger than 1 MB"),
};

const common = {
  "401": errorResponse("Missing or invalid access token"),
  "403": errorResponse("The token lacks the required scope"),
  "429": { description: "Rate limited (empty body, Retry-After header)" },
};

export function openApiDocument(): Json {
  if (cached) return cached;
  const idParam = { name: "id", in: "path", required: true, description: "The customer ID.", schema: { type: "string", format: "uuid" } };
  const extParam = { name: "external_id", in: "path", required: true, description: "The customer external ID.", schema: { type: "string" } };
  const security = [{ access_token: [] }];
  cached = {
    openapi: "3.1.0",
    info: { title: "Rapidly API (customer-sim)", version: "0.1.0", description: "Simulated Rapidly customers API." },
    servers: [{ url: "/rapidly" }],
    security,
    paths: {
      "/api/customers/": {
        get: {
          operationId: "customers:list",
          summary: "List Customers",
          parameters: [
            { name: "page", in: "query", schema: { type: "integer", exclusiveMinimum: 0, default: 1 } },
            { name: "limit", in: "query", schema: { type: "integer", exclusiveMinimum: 0, default: 10 }, description: "Size of a page, defaults to 10. Maximum is 100." },
            { name: "sorting", in: "query", schema: { type: "array", items: { type: "string", enum: SORT_VALUES }, default: ["-created_at"] } },
            { name: "email", in: "query", schema: { type: "string" }, description: "Filter by exact email." },
            { name: "query", in: "query", schema: { type: "string" }, description: "Filter by name, email, or external ID." },
            { name: "metadata", in: "query", style: "deepObject", explode: true, schema: { type: "object", additionalProperties: { type: "string" } } },
          ],
          responses: {
            "200": { description: "Successful Response", content: { "application/json": { schema: { $ref: "#/components/schemas/CustomerList" } } } },
            ...common,
            "422": validationResponse,
          },
        },
        post: {
          operationId: "customers:create",
          summary: "Create Customer",
          requestBody: requestBody("CustomerCreate"),
          responses: { "201": customerResponse("Customer created."), ...common, ...bodyErrors, "422": validationResponse },
        },
      },
      "/api/customers/{id}": {
        parameters: [idParam],
        get: {
          operationId: "customers:get",
          summary: "Get Customer",
          responses: { "200": customerResponse("Successful Response"), ...common, "404": errorResponse("Customer not found."), "422": validationResponse },
        },
        patch: {
          operationId: "customers:update",
          summary: "Update Customer",
          requestBody: requestBody("CustomerUpdate"),
          responses: { "200": customerResponse("Customer updated."), ...common, ...bodyErrors, "404": errorResponse("Customer not found."), "422": validationResponse },
        },
        delete: {
          operationId: "customers:delete",
          summary: "Delete Customer",
          responses: { "204": { description: "Customer deleted." }, ...common, "404": errorResponse("Customer not found."), "422": validationResponse },
        },
      },
      "/api/customers/external/{external_id}": {
        parameters: [extParam],
        get: {
          operationId: "customers:get_external",
          summary: "Get Customer by External ID",
          responses: { "200": customerResponse("Successful Response"), ...common, "404": errorResponse("Customer not found.") },
        },
        patch: {
          operationId: "customers:update_external",
          summary: "Update Customer by External ID",
          requestBody: requestBody("CustomerUpdateExternalID"),
          responses: { "200": customerResponse("Customer updated."), ...common, ...bodyErrors, "404": errorResponse("Customer not found."), "422": validationResponse },
        },
        delete: {
          operationId: "customers:delete_external",
          summary: "Delete Customer by External ID",
          responses: { "204": { description: "Customer deleted." }, ...common, "404": errorResponse("Customer not found.") },
        },
      },
      ...webhookPaths(common, errorResponse, validationResponse),
    },
    components: {
      securitySchemes: {
        access_token: { type: "http", scheme: "bearer", description: "A workspace access token (rapidly_oat_...)." },
      },
      schemas: {
        CustomerCreate: patchBody(schemaOf(customerCreateSchema(), "input")),
        CustomerUpdate: patchBody(schemaOf(customerUpdateSchema(), "input")),
        CustomerUpdateExternalID: patchBody(schemaOf(customerUpdateExternalSchema(), "input")),
        Customer: schemaOf(customerSchema(), "output"),
        CustomerList: schemaOf(customerListSchema(), "output"),
        ValidationError: schemaOf(validationErrorSchema(), "output"),
        Error: schemaOf(errorSchema(), "output"),
        ...webhookSchemas(schemaOf),
        HTTPError: schemaOf(z.object({ detail: z.string() }), "output"),
      },
    },
  };
  return cached;
}
