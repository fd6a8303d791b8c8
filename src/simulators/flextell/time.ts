// Laravel's timestamps: whole seconds (MySQL TIMESTAMP columns), printed by Carbon's toJSON
// with six zero digits: 2025-01-10T12:00:00.000000Z (spec: flextell.md#the-customer-object).
import { isoFromMicros, type Clock } from "../../core/clock.js";

export const laravelTime = (micros: number): string => isoFromMicros(Math.floor(micros / 1_000_000) * 1_000_000, 6);

export const laravelNow = (clock: Clock): string => laravelTime(clock.nowMicros());
