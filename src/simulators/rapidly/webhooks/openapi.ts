// The webhook endpoints API in Rapidly's OpenAPI document (spec: rapidly-webhooks.md#endpoints-api).
// Loaded with ../openapi.ts, on first request of /openapi.json: never on the serve path.
import type * as z from "zod";
import { HTTP_CODE_CLASSES, deliveryListSchema, endpointCreateSchema, endpointListSchema, endpointSchema, endpointUpdateSchema } from "./schemas.js";
import { WEBHOOK_EVENT_TYPES } from "./model.js";

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, name: string) => ({ description, content: { "application/json": { schema: ref(name) } } });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });

export function webhookSchemas(schemaOf: (schema: z.ZodType, io: "input" | "output") => Json): Json {
  return {
    WebhookEndpointCreate: schemaOf(endpointCreateSchema(), "input"),
    WebhookEndpointUpdate: schemaOf(endpointUpdateSchema(), "input"),
    WebhookEndpoint: schemaOf(endpointSchema(), "output"),
    WebhookEndpointList: schemaOf(endpointListSchema(), "output"),
    WebhookDeliveryList: schemaOf(deliveryListSchema(), "output"),
  };
}

/** `common`: the 401/403/429 responses; `error`, `validation`: the document's own response builders. */
export function webhookPaths(common: Json, error: (description: string) => Json, validation: Json): Json {
  const id = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
  const page = [
    { name: "page", in: "query", schema: { type: "integer", exclusiveMinimum: 0, default: 1 } },
    { name: "limit", in: "query", schema: { type: "integer", exclusiveMinimum: 0, default: 10 }, description: "Size of a page, defaults to 10. Maximum is 100." },
  ];
  const notFound = { "404": error("Not found (or another workspace's).") };
  // refused before validation, as the customer routes' bodies (spec: simulator.md#limits)
  const bodyErrors = {
    "400": { description: "The body could not be parsed (e.g. nested too deep)", content: { "application/json": { schema: ref("HTTPError") } } },
    "413": error("The request body is larger than 1 MB"),
  };
  return {
    "/api/webhooks/endpoints": {
      get: {
        operationId: "webhooks:list_webhook_endpoints",
        summary: "List Webhook Endpoints",
        description: "**Scopes**: `webhooks:read` `webhooks:write`",
        parameters: page,
        responses: { "200": json("Successful Response", "WebhookEndpointList"), ...common, "422": validation },
      },
      post: {
        operationId: "webhooks:create_webhook_endpoint",
        summary: "Create Webhook Endpoint",
        description: "**Scopes**: `webhooks:write`. The secret is generated (`rapidly_whs_...`).",
        requestBody: body("WebhookEndpointCreate"),
        responses: { "201": json("Webhook endpoint created.", "WebhookEndpoint"), ...common, ...bodyErrors, "422": validation },
      },
    },
    "/api/webhooks/endpoints/{id}": {
      parameters: [id],
      get: {
        operationId: "webhooks:get_webhook_endpoint",
        summary: "Get Webhook Endpoint",
        responses: { "200": json("Successful Response", "WebhookEndpoint"), ...common, ...notFound, "422": validation },
      },
      patch: {
        operationId: "webhooks:update_webhook_endpoint",
        summary: "Update Webhook Endpoint",
        requestBody: body("WebhookEndpointUpdate"),
        responses: { "200": json("Webhook endpoint updated.", "WebhookEndpoint"), ...common, ...bodyErrors, ...notFound, "422": validation },
      },
      delete: {
        operationId: "webhooks:delete_webhook_endpoint",
        summary: "Delete Webhook Endpoint",
        responses: { "204": { description: "Webhook endpoint deleted." }, ...common, ...notFound, "422": validation },
      },
    },
    "/api/webhooks/endpoints/{id}/secret": {
      parameters: [id],
      patch: {
        operationId: "webhooks:reset_webhook_endpoint_secret",
        summary: "Reset Webhook Endpoint Secret",
        responses: { "200": json("Webhook endpoint secret reset.", "WebhookEndpoint"), ...common, ...notFound, "422": validation },
      },
    },
    "/api/webhooks/deliveries": {
      get: {
        operationId: "webhooks:list_webhook_deliveries",
        summary: "List Webhook Deliveries",
        description: "Every delivery attempt of the workspace's events, newest first.",
        parameters: [
          { name: "endpoint_id", in: "query", schema: { type: "string", format: "uuid" } },
          { name: "event_type", in: "query", schema: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] } },
          { name: "succeeded", in: "query", schema: { type: "boolean" } },
          { name: "http_code_class", in: "query", schema: { type: "string", enum: [...HTTP_CODE_CLASSES] } },
          { name: "start_timestamp", in: "query", schema: { type: "string", format: "date-time" } },
          { name: "end_timestamp", in: "query", schema: { type: "string", format: "date-time" } },
          { name: "query", in: "query", schema: { type: "string" }, description: "Text in the event's payload or the receiver's response." },
          ...page,
        ],
        responses: { "200": json("Successful Response", "WebhookDeliveryList"), ...common, "422": validation },
      },
    },
    "/api/webhooks/events/{id}/redeliver": {
      parameters: [id],
      post: {
        operationId: "webhooks:redeliver_webhook_event",
        summary: "Redeliver Webhook Event",
        description: "A new attempt of the event (same body and `webhook-id`), at the tail of its endpoint's queue.",
        responses: { "202": { description: "Accepted", content: { "application/json": { schema: { type: "null" } } } }, ...common, ...notFound, "422": validation },
      },
    },
  };
}
