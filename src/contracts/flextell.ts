import type { ContractInteraction } from "./types.js";
export const flextellInteractions: ContractInteraction[] = [];
