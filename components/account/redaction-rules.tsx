"use client";
// Workspace redaction rules: added to the built-in masking for every endpoint of the workspace.
// Admins edit a draft and save it whole; the API validates (JSON paths, header names, RE2
// regexes) and its messages are shown against the rule they concern.
import { useId, useState } from "react";
import { useSWRConfig } from "swr";
import { can } from "@/lib/auth/roles";
import { errorMessage, sendJson, workspaceKey, type RedactionRule, type WorkspaceView } from "./api";
import { buildRule, kindLabel, readableRulesError, RULE_KINDS, ruleValue, sameRule, type RuleKind } from "./redaction-draft";
import { BUTTON, CARD, ERROR, HEADING, HINT, INPUT, LABEL, PRIMARY } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

export function RedactionRulesEditor({ workspace }: { workspace: WorkspaceView }) {
  const editable = can(workspace.role, "workspace.update");
  const { mutate } = useSWRConfig();
  const [draft, setDraft] = useState<RedactionRule[]>(workspace.redactionRules);
  const [base, setBase] = useState<RedactionRule[]>(workspace.redactionRules);
  const [kind, setKind] = useState<RuleKind>("header");
  const [value, setValue] = useState("");
  const [flags, setFlags] = useState("");
  const [addError, setAddError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // The list as sent: the API's issue paths index into it, whatever is edited afterwards.
  const [sent, setSent] = useState<RedactionRule[]>([]);
  const saving = useMutation(async (rules: RedactionRule[]) => {
    const updated = await sendJson<WorkspaceView>("PATCH", workspaceKey(workspace.id), { redactionRules: rules });
    setBase(updated.redactionRules);
    setDraft(updated.redactionRules);
    await mutate(workspaceKey(workspace.id), updated, { revalidate: false });
    setSaved(true);
  }, errorMessage);
  const { busy } = saving;
  const saveError = saving.error === null ? null : readableRulesError({ message: saving.error, issues: saving.issues }, sent);
  const id = useId();

  // Someone else saved (or our own save came back): follow the server unless we have edits.
  const dirty = draft.length !== base.length || draft.some((r, i) => !sameRule(r, base[i]!));
  if (workspace.redactionRules !== base && !dirty) {
    setBase(workspace.redactionRules);
    setDraft(workspace.redactionRules);
  }
  const spec = RULE_KINDS.find((k) => k.kind === kind)!;

  function add(ev: React.FormEvent) {
    ev.preventDefault();
    const built = buildRule(kind, value, flags);
    if ("error" in built) {
      setAddError(built.error);
      return;
    }
    if (draft.some((r) => sameRule(r, built.rule))) {
      setAddError("That rule is already in the list.");
      return;
    }
    setDraft((d) => [...d, built.rule]);
    setValue("");
    setFlags("");
    setAddError(null);
    setSaved(false);
  }

  function save() {
    setSaved(false);
    setSent(draft);
    void saving.run(draft);
  }

  return (
    <section aria-labelledby={`${id}-h`} className={CARD}>
      <div className="space-y-1">
        <h2 id={`${id}-h`} className={HEADING}>
          Redaction rules
        </h2>
        <p className={HINT}>
          Always masked, without a rule: Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, *-Token, *-Secret, *-Signature
          and the other known signature headers; the token, key, api_key and access_token query parameters; passwords in URLs. Rules here
          add to those for every endpoint in this workspace, in views, share links and downloads.
          {editable ? "" : " Only admins and owners change them."}
        </p>
      </div>
      {draft.length === 0 ? (
        <p className="text-sm text-zinc-500">No workspace rules: only the built-in masking applies.</p>
      ) : (
        <ul
          aria-label="Workspace redaction rules"
          className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-900 dark:border-zinc-800"
        >
          {draft.map((rule, i) => {
            const bad = saveError?.badIndexes.includes(i);
            return (
              <li
                key={`${rule.kind}:${ruleValue(rule)}:${i}`}
                className={`flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm ${bad ? "bg-rose-50 dark:bg-rose-950/40" : ""}`}
              >
                <span className="w-6 shrink-0 text-right text-xs text-zinc-400">{i + 1}</span>
                <span className="shrink-0 text-xs font-medium sm:w-32 text-zinc-600 dark:text-zinc-400">{kindLabel(rule.kind)}</span>
                <code className="min-w-[10rem] flex-1 break-all font-mono text-xs">
                  {ruleValue(rule)}
                  {rule.kind === "regex" && rule.flags ? <span className="text-zinc-500"> (flags {rule.flags})</span> : null}
                </code>
                {editable ? (
                  <button
                    type="button"
                    className={BUTTON}
                    aria-label={`Remove rule ${i + 1}: ${kindLabel(rule.kind)} ${ruleValue(rule)}`}
                    onClick={() => {
                      setDraft((d) => d.filter((_, j) => j !== i));
                      saving.reset();
                      setSaved(false);
                    }}
                  >
                    Remove
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {editable ? (
        <>
          <form onSubmit={add} aria-label="Add a redaction rule" className="space-y-2">
            <div className="flex flex-wrap items-end gap-2">
              <div className="space-y-1">
                <label htmlFor={`${id}-kind`} className={LABEL}>
                  Kind
                </label>
                <select
                  id={`${id}-kind`}
                  className={INPUT}
                  value={kind}
                  onChange={(e) => {
                    setKind(e.target.value as RuleKind);
                    setAddError(null);
                  }}
                >
                  {RULE_KINDS.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="min-w-[12rem] flex-1 space-y-1">
                <label htmlFor={`${id}-value`} className={LABEL}>
                  {spec.label}
                </label>
                <input
                  id={`${id}-value`}
                  className={`${INPUT} w-full font-mono`}
                  value={value}
                  onChange={(e) => setValue(e.target.value)}
                  placeholder={spec.placeholder}
                  aria-describedby={`${id}-help`}
                  spellCheck={false}
                  autoCapitalize="off"
                  maxLength={500}
                />
              </div>
              {kind === "regex" ? (
                <div className="w-24 space-y-1">
                  <label htmlFor={`${id}-flags`} className={LABEL}>
                    Flags
                  </label>
                  <input
                    id={`${id}-flags`}
                    className={`${INPUT} w-full font-mono`}
                    value={flags}
                    onChange={(e) => setFlags(e.target.value)}
                    placeholder="i m s u"
                    maxLength={8}
                  />
                </div>
              ) : null}
              <button type="submit" className={BUTTON}>
                Add rule
              </button>
            </div>
            <p id={`${id}-help`} className={HINT}>
              {spec.help}
            </p>
            {addError ? (
              <p role="alert" className={ERROR}>
                {addError}
              </p>
            ) : null}
          </form>
          {saveError ? (
            <p role="alert" className={ERROR}>
              {saveError.text}
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <button type="button" className={PRIMARY} disabled={busy || !dirty} onClick={save}>
              {busy ? "Saving…" : "Save rules"}
            </button>
            {dirty ? (
              <>
                <button
                  type="button"
                  className={BUTTON}
                  onClick={() => {
                    setDraft(base);
                    saving.reset();
                  }}
                >
                  Discard changes
                </button>
                <span className="text-xs text-amber-700 dark:text-amber-400">Unsaved changes</span>
              </>
            ) : saved ? (
              <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
                Saved.
              </span>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
