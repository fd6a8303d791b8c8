// Stored rows → Quentli's wire objects (spec: quentli.md#the-customer-object).
import { jsonTextCache } from "../../core/serialize.js";
import type { CustomerRow } from "./model.js";

/**
 * The customer as the API shows it. `meta` is derived from `metadata`; `password`,
 * `signature`, `assigneeId` and `tosIp` are never returned.
 */
export function serializeCustomer(c: CustomerRow) {
  return {
    id: c.id,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    name: c.name,
    username: c.username,
    organizationId: c.organizationId,
    acceptedServiceAgreement: c.acceptedServiceAgreement,
    skipTaxInvoice: c.skipTaxInvoice,
    emailVerified: c.emailVerified,
    phoneNumberVerified: c.phoneNumberVerified,
    hasChangedPassword: c.hasChangedPassword,
    email: c.email,
    phoneNumber: c.phoneNumber,
    secondaryPhoneNumber: c.secondaryPhoneNumber,
    archivedAt: c.archivedAt,
    archivedById: c.archivedById,
    signatureAcceptedAt: c.signatureAcceptedAt,
    optedOutWhatsappAt: c.optedOutWhatsappAt,
    optedInWhatsappAt: c.optedInWhatsappAt,
    startedWhatsappAt: c.startedWhatsappAt,
    replyWithAssistant: c.replyWithAssistant,
    tags: c.tags,
    metadata: c.metadata,
    // Object.fromEntries: keys such as `__proto__` stay ordinary own keys
    meta: Object.fromEntries(c.metadata.map((m) => [m.key, m.value])),
  };
}

/** The customer's JSON as served, cached per row (rows are replaced, never mutated). */
export const customerJsonText = jsonTextCache(serializeCustomer);
