"use client";
// Try a secret once (never saved): a provider's secret, or a generic HMAC's algorithm, header, prefix,
// encoding and signed template.
import { useEffect, useId, useState } from "react";
import { errorMessage } from "../inspector/api";
import { BUTTON, PRIMARY, INPUT as BASE_INPUT } from "../ui/classes";
import { FormError, FormStatus } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { saveSecretRequest, verifyCaptureRequest, type GenericHmacOptions, type ProviderInfo, type VerifyAnswer } from "./signature-api";

const INPUT = `w-full ${BASE_INPUT}`;
const LABEL = "block space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400";

const GENERIC_DEFAULT = {
  algorithm: "sha256",
  header: "X-Signature",
  prefix: "",
  encoding: "hex",
  template: "{body}",
  timestampHeader: "",
};

function genericOptions(g: typeof GENERIC_DEFAULT): GenericHmacOptions {
  return {
    algorithm: g.algorithm as GenericHmacOptions["algorithm"],
    header: g.header.trim(),
    encoding: g.encoding as GenericHmacOptions["encoding"],
    ...(g.prefix ? { prefix: g.prefix } : {}),
    ...(g.template.trim() ? { template: g.template.trim() } : {}),
    ...(g.timestampHeader.trim() ? { timestampHeader: g.timestampHeader.trim() } : {}),
  };
}

export function TryForm({
  captureId,
  endpointId,
  providers,
  defaultProvider,
  canManage,
  role,
  onTried,
  onSaved,
}: {
  captureId: string;
  endpointId: string;
  providers: ProviderInfo[];
  defaultProvider: string;
  canManage: boolean;
  role: string | undefined;
  onTried(r: VerifyAnswer): void;
  onSaved(): Promise<void>;
}) {
  const id = useId();
  const [provider, setProvider] = useState(defaultProvider);
  const [touched, setTouched] = useState(false);
  const [label, setLabel] = useState("");
  const [secret, setSecret] = useState("");
  const [generic, setGeneric] = useState(GENERIC_DEFAULT);
  /** Which button ran last (the mutation says whether it still runs), and what the form says before sending. */
  const [kind, setKind] = useState<"try" | "save">("try");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const send = useMutation(async (action: "try" | "save") => {
    const extra = provider === "generic" ? { generic: genericOptions(generic) } : {};
    if (action === "try") {
      onTried(await verifyCaptureRequest(captureId, { provider, secret, ...extra }));
    } else {
      const saved = await saveSecretRequest(endpointId, { provider, secret, ...(label.trim() ? { label: label.trim() } : {}), ...extra });
      setSecret("");
      setLabel("");
      setSavedNote(`Saved “${saved.label}” (${saved.fingerprint}). The secret itself is not shown again.`);
      await onSaved();
    }
  }, errorMessage);
  const busy = send.busy ? kind : null;
  // Follow the detected provider until the user picks one.
  useEffect(() => {
    if (!touched && defaultProvider) setProvider(defaultProvider);
  }, [defaultProvider, touched]);
  const spec = providers.find((p) => p.id === provider);

  function run(next: "try" | "save") {
    if (send.busy) return;
    setInvalid(null);
    setSavedNote(null);
    send.reset();
    if (!provider) return setInvalid("Choose the provider.");
    if (secret === "") return setInvalid("Paste the secret.");
    setKind(next);
    void send.run(next);
  }

  return (
    <form
      className="space-y-3 border-t border-zinc-200 pt-3 dark:border-zinc-800"
      aria-label="Try or save a secret"
      onSubmit={(e) => {
        e.preventDefault();
        run("try");
      }}
    >
      <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Try or save a secret</h4>
      <div className="grid gap-3 sm:grid-cols-[minmax(0,12rem)_minmax(0,10rem)_1fr]">
        <label className={LABEL} htmlFor={`${id}-provider`}>
          <span>Provider</span>
          <select
            id={`${id}-provider`}
            className={INPUT}
            value={provider}
            onChange={(e) => {
              setTouched(true);
              setProvider(e.target.value);
            }}
          >
            <option value="">Choose…</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL} htmlFor={`${id}-label`}>
          <span>Label {canManage ? "(when saving)" : ""}</span>
          <input
            id={`${id}-label`}
            className={INPUT}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            placeholder="Live mode"
            maxLength={80}
            disabled={!canManage}
          />
        </label>
        <label className={LABEL} htmlFor={`${id}-secret`}>
          <span>{spec?.secretLabel ?? "Secret"}</span>
          <input
            id={`${id}-secret`}
            className={`${INPUT} font-mono`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
      </div>
      {spec ? <p className="text-xs text-zinc-500">{spec.summary}</p> : null}
      {provider === "generic" ? <GenericFields value={generic} onChange={setGeneric} /> : null}
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={BUTTON} disabled={busy !== null}>
          {busy === "try" ? "Verifying…" : "Verify once (not saved)"}
        </button>
        {canManage ? (
          <button type="button" className={PRIMARY} disabled={busy !== null} onClick={() => run("save")}>
            {busy === "save" ? "Saving…" : "Save secret"}
          </button>
        ) : (
          <span className="text-xs text-zinc-500" role="note">
            Your role{role ? ` (${role})` : ""} can verify and try a secret once; saving or deleting secrets needs the member role.
          </span>
        )}
      </div>
      <FormError error={invalid ?? send.error} className="text-sm text-rose-600 dark:text-rose-400" />
      <FormStatus className="text-sm text-emerald-700 dark:text-emerald-400">{savedNote}</FormStatus>
    </form>
  );
}

function GenericFields({ value, onChange }: { value: typeof GENERIC_DEFAULT; onChange(v: typeof GENERIC_DEFAULT): void }) {
  const id = useId();
  const set = (k: keyof typeof GENERIC_DEFAULT) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange({ ...value, [k]: e.target.value });
  return (
    <fieldset className="grid gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-3 dark:border-zinc-800">
      <legend className="px-1 text-xs text-zinc-500">Generic HMAC</legend>
      <label className={LABEL} htmlFor={`${id}-alg`}>
        <span>Algorithm</span>
        <select id={`${id}-alg`} className={INPUT} value={value.algorithm} onChange={set("algorithm")}>
          <option value="sha256">HMAC-SHA256</option>
          <option value="sha1">HMAC-SHA1</option>
          <option value="sha512">HMAC-SHA512</option>
        </select>
      </label>
      <label className={LABEL} htmlFor={`${id}-header`}>
        <span>Signature header</span>
        <input id={`${id}-header`} className={INPUT} value={value.header} onChange={set("header")} />
      </label>
      <label className={LABEL} htmlFor={`${id}-enc`}>
        <span>Encoding</span>
        <select id={`${id}-enc`} className={INPUT} value={value.encoding} onChange={set("encoding")}>
          <option value="hex">hex</option>
          <option value="base64">base64</option>
        </select>
      </label>
      <label className={LABEL} htmlFor={`${id}-prefix`}>
        <span>Prefix</span>
        <input id={`${id}-prefix`} className={INPUT} value={value.prefix} onChange={set("prefix")} placeholder="sha256=" />
      </label>
      <label className={LABEL} htmlFor={`${id}-template`}>
        <span>Signed content</span>
        <input
          id={`${id}-template`}
          className={`${INPUT} font-mono`}
          value={value.template}
          onChange={set("template")}
          placeholder="{timestamp}.{body}"
        />
      </label>
      <label className={LABEL} htmlFor={`${id}-ts`}>
        <span>Timestamp header</span>
        <input
          id={`${id}-ts`}
          className={INPUT}
          value={value.timestampHeader}
          onChange={set("timestampHeader")}
          placeholder="X-Timestamp"
        />
      </label>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------------------
