// The contract types live with the ProviderSimulator interface (src/core/contract.ts).
export type * from "../core/contract.js";
