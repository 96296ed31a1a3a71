// The per-call budget of regex work. RE2 matching is linear, but its cost is program size × text
// length, and a rule list may hold many regexes: so each masking call (one capture's headers,
// query and body) may spend at most REDACTION_BUDGET.ms and scan at most REDACTION_BUDGET.scanBytes
// (summed over the regexes). Past either, the regex search stops by throwing
// RedactionBudgetExceeded, and the masker that catches it fails closed: the body is withheld,
// header values and the query are masked whole; never the unmasked bytes.
//
// The budget is checked between regex searches; one search cannot be interrupted, so bodies whose
// estimated work is large are masked in a worker with a hard deadline (regex-pool.ts) and only
// small ones inline (under inlineWork).

export const REDACTION_BUDGET = {
  /** Time one masking call may spend in regexes. */
  ms: 250,
  /** Characters all regexes of one masking call may scan together (a 1 MiB body × 8 regex rules is 8 Mi). */
  scanBytes: 32 * 1024 * 1024,
  /**
   * Estimated work (characters × program instructions, summed over the regexes) up to which a body is
   * masked on the calling thread. Measured worst case about 70 units per microsecond: 200,000 is ~3 ms.
   */
  inlineWork: 200_000,
};

export class RedactionBudgetExceeded extends Error {
  readonly code = "redaction_budget_exceeded";
  constructor(reason: string) {
    super(`redaction budget exceeded: ${reason}`);
  }
}

export interface BudgetLimits {
  ms: number;
  scanBytes: number;
}

export class RedactionBudget {
  private readonly deadline: number;
  private scanned = 0;
  exceeded = false;

  constructor(readonly limits: BudgetLimits = REDACTION_BUDGET) {
    this.deadline = performance.now() + limits.ms;
  }

  /** Counts `chars` more characters to scan; throws once the bytes or the time are spent. */
  charge(chars: number): void {
    if (this.exceeded) throw new RedactionBudgetExceeded("already spent");
    this.scanned += chars;
    if (this.scanned > this.limits.scanBytes) {
      this.exceeded = true;
      throw new RedactionBudgetExceeded(`more than ${this.limits.scanBytes} characters to scan`);
    }
    if (performance.now() > this.deadline) {
      this.exceeded = true;
      throw new RedactionBudgetExceeded(`more than ${this.limits.ms} ms`);
    }
  }

  get scannedChars(): number {
    return this.scanned;
  }
}

// Masking is synchronous, so the budget of the call under way can live here: the maskers need not
// pass it through every helper, and no other call can run in between.
let active: RedactionBudget | null = null;

/**
 * Runs `fn` under `budget`; with none given, under the budget already active (a capture's headers,
 * query and body share one) or a fresh default one.
 */
export function withBudget<T>(budget: RedactionBudget | undefined, fn: () => T): T {
  if (!budget && active) return fn();
  const previous = active;
  active = budget ?? new RedactionBudget();
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Called before a regex search over `chars` characters (0 after each match: a time check). */
export function chargeRegexScan(chars: number): void {
  active?.charge(chars);
}

/** The estimated cost of running `regexes` over `chars` characters (see inlineWork). */
export function regexWork(chars: number, regexes: readonly { regex: { programSize: number } }[]): number {
  let size = 0;
  for (const r of regexes) size += r.regex.programSize;
  return size * chars;
}
