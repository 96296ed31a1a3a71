"use client";
// The editable header list of a replay: rows in wire order (case and duplicates kept), each with
// name and value inputs and a remove button. Chips say what the sender does with a row: Host and
// Content-Length are set for the target, hop-by-hop headers are dropped, credentials are left out
// unless ticked.
import { BUTTON, INPUT_SMALL } from "../ui/classes";
import { isCredentialHeader } from "@/lib/redaction/credential-headers";

export interface HeaderRow {
  id: number;
  name: string;
  value: string;
}

const INPUT = `${INPUT_SMALL} font-mono disabled:opacity-60`;

const SET_BY_SENDER = new Set(["host", "content-length"]);
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-authenticate",
]);

function Chip({ tone, children, title }: { tone: "amber" | "zinc"; children: React.ReactNode; title: string }) {
  return (
    <span
      title={title}
      className={`shrink-0 self-center rounded px-1.5 py-0.5 text-[10px] font-medium ${
        tone === "amber"
          ? "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300"
          : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"
      }`}
    >
      {children}
      <span className="sr-only">: {title}</span>
    </span>
  );
}

function rowChip(name: string, includeCredentials: boolean) {
  const lower = name.trim().toLowerCase();
  if (isCredentialHeader(lower) && !includeCredentials) {
    return (
      <Chip tone="amber" title="Credentials are left out unless Send credentials is ticked">
        not sent
      </Chip>
    );
  }
  if (SET_BY_SENDER.has(lower))
    return (
      <Chip tone="zinc" title="Set for the target and the exact body when sent">
        replaced
      </Chip>
    );
  if (HOP_BY_HOP.has(lower))
    return (
      <Chip tone="zinc" title="Hop-by-hop: belongs to the connection it arrived on and is not sent">
        dropped
      </Chip>
    );
  return null;
}

export function HeaderEditor({
  rows,
  onChange,
  onAdd,
  onRemove,
  includeCredentials,
  disabled,
}: {
  rows: HeaderRow[];
  onChange(id: number, part: "name" | "value", value: string): void;
  onAdd(): void;
  onRemove(id: number): void;
  includeCredentials: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="space-y-1.5">
      {rows.length === 0 ? <p className="text-xs text-zinc-500">No headers.</p> : null}
      <ol aria-label="Replay headers" className="space-y-1">
        {rows.map((row, i) => (
          <li key={row.id} className="flex items-center gap-1.5" data-testid="replay-header-row">
            <span className="w-6 shrink-0 text-right font-mono text-[11px] text-zinc-400">{i + 1}</span>
            <input
              aria-label={`Header ${i + 1} name`}
              className={`${INPUT} w-[34%]`}
              value={row.name}
              placeholder="Name"
              spellCheck={false}
              autoCapitalize="off"
              disabled={disabled}
              onChange={(e) => onChange(row.id, "name", e.target.value)}
            />
            <input
              aria-label={`Header ${i + 1} value`}
              className={`${INPUT} flex-1`}
              value={row.value}
              placeholder="value"
              spellCheck={false}
              autoCapitalize="off"
              disabled={disabled}
              onChange={(e) => onChange(row.id, "value", e.target.value)}
            />
            {rowChip(row.name, includeCredentials)}
            <button
              type="button"
              className={`${BUTTON} px-2 py-1`}
              aria-label={`Remove header ${i + 1}`}
              disabled={disabled}
              onClick={() => onRemove(row.id)}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className={BUTTON} onClick={onAdd} disabled={disabled}>
        Add header
      </button>
    </div>
  );
}
