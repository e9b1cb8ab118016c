import { useId, useRef, useState } from "react";

/** A read-only field with a Copy button (falls back to selecting the text to copy by hand). */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"idle" | "copied" | "manual">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      input.current?.select();
      setCopied("manual");
    }
  }

  return (
    <div className="copy-field">
      <label htmlFor={id} className="sr-only">{label}</label>
      <input id={id} ref={input} readOnly value={value} onFocus={(e) => e.currentTarget.select()} data-testid="invite-link" />
      <button type="button" className="btn btn-small" onClick={() => void copy()}>
        {copied === "copied" ? "Copied" : "Copy link"}
      </button>
      <span className="sr-only" aria-live="polite">
        {copied === "copied" ? "Invite link copied" : copied === "manual" ? "Press Ctrl+C to copy the selected link" : ""}
      </span>
      {copied === "manual" && <span className="muted small">Selected: press Ctrl+C to copy.</span>}
    </div>
  );
}
