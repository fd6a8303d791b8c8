export const quentliInteractions: import("./types.js").ContractInteraction[] = [];
