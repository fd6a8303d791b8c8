import type { ContractInteraction } from "./types.js";
export const planeInteractions: ContractInteraction[] = [];
