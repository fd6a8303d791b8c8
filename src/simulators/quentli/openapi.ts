// OpenAPI 3.1 document for /quentli/openapi.json, generated from the zod schemas on first use.
import type * as z from "zod";
import { componentRef, componentSchema, jsonContent } from "../../core/json-schema.js";
import {
  conflictErrorSchema,
  customerCreateSchema,
  customerSchema,
  customerUpdateSchema,
  DIRECTIONS,
  errorSchema,
  FILTER_FIELDS,
  FILTER_OPERATORS,
  ORDER_FIELDS,
  validationErrorSchema,
} from "./schemas.js";

type Json = Record<string, unknown>;

let cached: Json | undefined;

const schemaOf = (schema: z.ZodType, io: "input" | "output"): Json => componentSchema(schema, io);

const ref = componentRef;
const errorResponse = (description: string, name = "Error") => ({ description, content: jsonContent(name) });

const common = {
  "400": {
    description: "Invalid input (VALIDATION_ERROR, every failing path) or malformed JSON (INVALID_JSON)",
    content: { "application/json": { schema: { anyOf: [ref("ValidationError"), ref("Error")] } } },
  },
  "401": errorResponse("Missing or unknown API key (UNAUTHORIZED)"),
};
const tooLarge = {
  "413": errorResponse("Request body over 1 MB (PAYLOAD_TOO_LARGE)"),
  "415": errorResponse("A JSON body in a charset other than UTF (UNSUPPORTED_MEDIA_TYPE)"),
};

export function openApiDocument(): Json {
  if (cached) return cached;
  const idParam = { name: "id", in: "path", required: true, description: "Identifier of the customer.", schema: { type: "string" } };
  // spec: quentli.md#list — `filter` and `orderBy` are qs-encoded objects. They are described
  // as one flat parameter per leaf (`filter[email][equals]`, `orderBy[createdAt]`): OpenAPI's
  // deepObject style does not define nested objects, and Swagger UI and generated clients then
  // send `filter[name]={json}`, which the simulator (like qs) refuses.
  const filterParams = FILTER_FIELDS.flatMap((field) =>
    FILTER_OPERATORS.map((op) => ({
      name: `filter[${field}][${op}]`,
      in: "query",
      description: `Customers whose ${field} ${op === "equals" ? "equals" : "contains"} this value (case-insensitive).`,
      schema: { type: "string" },
    })),
  );
  const orderByParams = ORDER_FIELDS.map((field) => ({
    name: `orderBy[${field}]`,
    in: "query",
    description: `Sort by ${field}${field === "createdAt" ? " (the default: orderBy[createdAt]=desc)" : ""}; several orderBy keys apply in the order given.`,
    schema: { type: "string", enum: [...DIRECTIONS] },
  }));
  cached = {
    openapi: "3.1.0",
    info: { title: "Quentli API (customer-sim)", version: "0.1.0", description: "Simulated Quentli customers API (REST beta, organization API keys)." },
    servers: [{ url: "/quentli" }],
    security: [{ organization_key: [] }],
    paths: {
      "/v1/customers": {
        get: {
          operationId: "listCustomers",
          summary: "List customers",
          parameters: [
            { name: "skip", in: "query", description: "Customers to skip (decimal digits).", schema: { type: "integer", minimum: 0, default: 0 } },
            { name: "take", in: "query", description: "Customers to return, 1 to 100 (decimal digits).", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
            ...filterParams,
            ...orderByParams,
          ],
          responses: {
            "200": { description: "A bare array of customers", content: jsonContent("CustomerList") },
            ...common,
          },
        },
        post: {
          operationId: "createCustomer",
          summary: "Create customer",
          requestBody: { required: true, content: jsonContent("CustomerCreate") },
          responses: {
            "201": { description: "Customer created", content: jsonContent("CustomerEnvelope") },
            ...common,
            "409": errorResponse("Email, phone number or username taken in the organization", "ConflictError"),
            ...tooLarge,
          },
        },
      },
      "/v1/customers/{id}": {
        get: {
          operationId: "getCustomer",
          summary: "Get customer",
          parameters: [idParam],
          responses: {
            "200": { description: "The customer, or null when it does not exist", content: { "application/json": { schema: { anyOf: [ref("Customer"), { type: "null" }] } } } },
            "401": common["401"],
          },
        },
        patch: {
          operationId: "updateCustomer",
          summary: "Update customer",
          parameters: [idParam],
          requestBody: { required: true, content: jsonContent("CustomerUpdate") },
          responses: {
            "200": { description: "Customer updated", content: jsonContent("CustomerEnvelope") },
            ...common,
            "404": errorResponse("Customer not found (NOT_FOUND)"),
            "409": errorResponse("Email, phone number or username taken in the organization", "ConflictError"),
            ...tooLarge,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        organization_key: { type: "http", scheme: "bearer", description: "An organization API key (sk_...)." },
      },
      schemas: {
        CustomerCreate: schemaOf(customerCreateSchema(), "input"),
        CustomerUpdate: schemaOf(customerUpdateSchema(), "input"),
        Customer: schemaOf(customerSchema(), "output"),
        CustomerEnvelope: { type: "object", properties: { customer: ref("Customer") }, required: ["customer"] },
        CustomerList: { type: "array", items: ref("Customer") },
        Error: schemaOf(errorSchema(), "output"),
        ValidationError: schemaOf(validationErrorSchema(), "output"),
        ConflictError: schemaOf(conflictErrorSchema(), "output"),
      },
    },
  };
  return cached;
}
