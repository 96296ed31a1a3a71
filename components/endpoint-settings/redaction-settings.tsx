"use client";
// Endpoint redaction (settings → Redaction): extra rules on top of the built-in ones and the
// workspace's, and "Redact at ingest". Saved with PATCH /api/endpoints/:id { redactionRules,
// redactAtIngest }; the API validates (JSON paths, RE2 regexes) and its messages are shown.
import { useId, useState } from "react";
import { useSWRConfig } from "swr";
import { endpointKey, errorMessage, patchEndpoint, type EndpointView, type RedactionRule } from "../inspector/api";
import type { ApiIssue } from "../api-client";
import { BUTTON, PRIMARY, INPUT } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

type Kind = RedactionRule["kind"];

const KINDS: { id: Kind; label: string; placeholder: string; help: string }[] = [
  { id: "header", label: "Header", placeholder: "X-Customer-*", help: "Header name; * is a wildcard." },
  { id: "json_path", label: "JSON path", placeholder: "$.card.number", help: "JSON path in the body, e.g. $.card.number or $..email." },
  { id: "form_field", label: "Form field", placeholder: "password", help: "Field of a urlencoded or multipart body; * is a wildcard." },
  { id: "query_param", label: "Query parameter", placeholder: "sig", help: "Query parameter name; * is a wildcard." },
  {
    id: "regex",
    label: "Regex",
    placeholder: "\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b",
    help: "RE2 syntax; a group named mask limits masking to that group.",
  },
];

interface DraftRule {
  kind: Kind;
  value: string;
}

function toDraft(rule: RedactionRule): DraftRule {
  switch (rule.kind) {
    case "json_path":
      return { kind: rule.kind, value: rule.path };
    case "regex":
      return { kind: rule.kind, value: rule.pattern };
    default:
      return { kind: rule.kind, value: rule.name };
  }
}

export function toRule(d: DraftRule): RedactionRule {
  switch (d.kind) {
    case "json_path":
      return { kind: "json_path", path: d.value.trim() };
    case "regex":
      return { kind: "regex", pattern: d.value };
    case "header":
      return { kind: "header", name: d.value.trim() };
    case "form_field":
      return { kind: "form_field", name: d.value };
    default:
      return { kind: "query_param", name: d.value };
  }
}

/** The API names a rule by its position (issue path ["redactionRules", 2, "path"]); say it the way the form does. */
export function readableRedactionError(error: { message: string; issues: readonly ApiIssue[] }): string {
  if (error.issues.length === 0) return error.message;
  return error.issues
    .map(({ path, message }) => (path[0] === "redactionRules" && typeof path[1] === "number" ? `Rule ${path[1] + 1}: ${message}` : message))
    .join("\n");
}

export function RedactionSettings({ endpoint }: { endpoint: EndpointView }) {
  const { mutate } = useSWRConfig();
  const id = useId();
  const [rules, setRules] = useState<DraftRule[]>(() => endpoint.redaction.rules.map(toDraft));
  const [atIngest, setAtIngest] = useState(endpoint.redaction.atIngest);
  const [saved, setSaved] = useState(false);
  const set = (i: number, patch: Partial<DraftRule>) => {
    setSaved(false);
    setRules((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };

  const saving = useMutation(async () => {
    const next = await patchEndpoint(endpoint.id, {
      redactionRules: rules.filter((r) => r.value.trim() !== "").map(toRule),
      redactAtIngest: atIngest,
    });
    await mutate(endpointKey(endpoint.id), next, { revalidate: false });
    // Captures already loaded were masked with the old rules (revealed ones stay as they are:
    // each reveal request is audited).
    void mutate((key) => typeof key === "string" && key.startsWith("/api/captures/") && !key.includes("reveal=1"));
    setRules(next.redaction.rules.map(toDraft));
    setSaved(true);
  }, errorMessage);
  const { busy } = saving;
  const error = saving.error === null ? null : readableRedactionError({ message: saving.error, issues: saving.issues });

  function save(ev: React.FormEvent) {
    ev.preventDefault();
    setSaved(false);
    void saving.run();
  }

  const turningOn = atIngest && !endpoint.redaction.atIngest;
  return (
    <form onSubmit={save} noValidate aria-label="Redaction" className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Views, the live list, share links and downloads always mask Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key,
        *-Token, *-Secret, *-Signature and the other known signature headers; token, key, api_key and access_token query parameters; and
        passwords in URLs. Workspace rules apply too. Add rules for this endpoint here; members can still reveal values (audited).
      </p>
      <fieldset className="space-y-2">
        <legend className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Endpoint rules</legend>
        {rules.length === 0 ? <p className="text-xs text-zinc-500">No extra rules.</p> : null}
        <ul className="space-y-1.5">
          {rules.map((rule, i) => {
            const kind = KINDS.find((k) => k.id === rule.kind)!;
            return (
              <li key={i} className="space-y-0.5">
                <div className="flex gap-1.5">
                  <select
                    aria-label={`Rule ${i + 1} kind`}
                    className={`${INPUT} w-40 shrink-0`}
                    value={rule.kind}
                    onChange={(e) => set(i, { kind: e.target.value as Kind })}
                  >
                    {KINDS.map((k) => (
                      <option key={k.id} value={k.id}>
                        {k.label}
                      </option>
                    ))}
                  </select>
                  <input
                    aria-label={`Rule ${i + 1} ${kind.label.toLowerCase()}`}
                    aria-describedby={`${id}-help-${i}`}
                    className={`${INPUT} min-w-0 flex-1 font-mono`}
                    value={rule.value}
                    placeholder={kind.placeholder}
                    spellCheck={false}
                    autoCapitalize="off"
                    onChange={(e) => set(i, { value: e.target.value })}
                  />
                  <button
                    type="button"
                    className={BUTTON}
                    aria-label={`Remove rule ${i + 1}`}
                    onClick={() => {
                      setSaved(false);
                      setRules((rs) => rs.filter((_, j) => j !== i));
                    }}
                  >
                    ✕
                  </button>
                </div>
                <p id={`${id}-help-${i}`} className="text-[11px] text-zinc-500">
                  {kind.help}
                </p>
              </li>
            );
          })}
        </ul>
        <button
          type="button"
          className={BUTTON}
          onClick={() => {
            setSaved(false);
            setRules((rs) => [...rs, { kind: "json_path", value: "" }]);
          }}
        >
          Add rule
        </button>
      </fieldset>

      <fieldset className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Storage</legend>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            role="switch"
            aria-checked={atIngest}
            aria-describedby={`${id}-ingest-warning`}
            checked={atIngest}
            onChange={(e) => {
              setSaved(false);
              setAtIngest(e.target.checked);
            }}
          />
          Redact at ingest
        </label>
        <p id={`${id}-ingest-warning`} className="text-xs text-amber-800 dark:text-amber-300">
          Captures arriving from then on are stored masked: the masked values are gone for good and cannot be revealed, and webhook
          signatures over the original body can no longer be verified (nor replayed byte for byte). Captures stored before stay as they are.
          Compressed bodies are masked inside and stored compressed again (one that cannot be decoded is kept as received).
        </p>
        {turningOn ? (
          <p
            role="alert"
            className="rounded-md bg-amber-50 p-2 text-xs font-medium text-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
          >
            Saving turns this on: from the next capture, the original values are not kept.
          </p>
        ) : null}
      </fieldset>

      {error ? (
        <p
          role="alert"
          className="whitespace-pre-line rounded-md bg-rose-50 p-2 text-sm text-rose-700 dark:bg-rose-950/50 dark:text-rose-300"
        >
          {error}
        </p>
      ) : null}
      <div className="flex items-center justify-end gap-2">
        {saved ? (
          <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
            Saved.
          </span>
        ) : null}
        <button type="submit" className={PRIMARY} disabled={busy}>
          {busy ? "Saving…" : "Save redaction"}
        </button>
      </div>
    </form>
  );
}
