// Structured JSON logs (pino escapes control characters, so attacker-controlled strings cannot
// forge log lines). Never log header values or bodies; truncate any captured string logged.
import pino from "pino";
import { config } from "../config";
import { shared } from "./shared";

export const log = () =>
  shared("log", () => pino({ level: config().LOG_LEVEL, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }));

/** For the few captured strings that are worth a log field (paths, methods): bounded length. */
export const clip = (value: string, max = 256) => (value.length > max ? `${value.slice(0, max)}…` : value);
