import { useId, useState, type ReactNode } from 'react';

/** Shared props of inspector fields. */
interface FieldProps {
  label: string;
  testId: string;
  hint?: ReactNode;
  /** Called when the field loses focus: ends a coalesced undo step. */
  onBlur?: () => void;
}

/**
 * Keeps a field's text in local state while typing, resyncing when the model value
 * changes from elsewhere (undo, another panel), so a half-typed value is never lost and
 * an undo is never ignored.
 */
function useDraft(value: string): [string, (v: string) => void] {
  const [draft, setDraft] = useState(value);
  const [last, setLast] = useState(value);
  if (value !== last) {
    setLast(value);
    setDraft(value);
  }
  return [draft, setDraft];
}

/** A labelled field with its inline error and hint; `children` renders the control for an id. */
export function Field({ label, testId, hint, error, children }: { label: string; testId: string; hint?: ReactNode; error?: string | null; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={`field${error ? ' has-error' : ''}`} data-testid={`field-${testId}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {error ? (
        <div className="field-error" role="alert" data-testid={`error-${testId}`}>
          {error}
        </div>
      ) : null}
      {hint ? <div className="field-hint">{hint}</div> : null}
    </div>
  );
}

/** A text field; `validate` returns an error shown inline (the value is still committed). */
export function TextField({
  label,
  testId,
  value,
  onChange,
  onBlur,
  placeholder,
  hint,
  validate,
  readOnly,
  multiline,
  after,
}: FieldProps & {
  value: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  validate?: (value: string) => string | null;
  readOnly?: boolean;
  multiline?: boolean;
  after?: (draft: string) => ReactNode;
}) {
  const [draft, setDraft] = useDraft(value);
  const error = validate ? validate(draft) : null;
  return (
    <Field label={label} testId={testId} hint={hint} error={error}>
      {(id) => (
        <>
          {multiline ? (
            <textarea
              id={id}
              data-testid={`input-${testId}`}
              value={draft}
              readOnly={readOnly}
              placeholder={placeholder}
              rows={3}
              onChange={(e) => {
                setDraft(e.target.value);
                onChange?.(e.target.value);
              }}
              onBlur={onBlur}
            />
          ) : (
            <input
              id={id}
              data-testid={`input-${testId}`}
              value={draft}
              readOnly={readOnly}
              placeholder={placeholder}
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                setDraft(e.target.value);
                onChange?.(e.target.value);
              }}
              onBlur={onBlur}
            />
          )}
          {after?.(draft)}
        </>
      )}
    </Field>
  );
}

/**
 * A number field. Empty means "not set" (`undefined`); a value outside [min, max] or not
 * a whole number (when `integer`) shows its error and is not committed, so the model
 * always stays a valid file.
 */
export function NumberField({
  label,
  testId,
  value,
  onChange,
  onBlur,
  min,
  max,
  integer,
  placeholder,
  hint,
  required,
}: FieldProps & { value: number | undefined; onChange: (value: number | undefined) => void; min?: number; max?: number; integer?: boolean; placeholder?: string; required?: boolean }) {
  const [draft, setDraft] = useDraft(value === undefined ? '' : String(value));
  const check = (text: string): { value?: number; error?: string } => {
    if (text.trim() === '') return required ? { error: 'required' } : {};
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: `"${text}" is not a number` };
    if (integer && !Number.isInteger(n)) return { error: 'a whole number' };
    if (min !== undefined && n < min) return { error: `at least ${min}` };
    if (max !== undefined && n > max) return { error: `at most ${max}` };
    return { value: n };
  };
  const result = check(draft);
  return (
    <Field label={label} testId={testId} hint={hint} error={result.error ?? null}>
      {(id) => (
        <input
          id={id}
          data-testid={`input-${testId}`}
          inputMode="decimal"
          value={draft}
          placeholder={placeholder}
          aria-invalid={result.error ? true : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            const next = check(e.target.value);
            if (!next.error) onChange(next.value);
          }}
          onBlur={onBlur}
        />
      )}
    </Field>
  );
}

/** A select among fixed options. */
export function SelectField<T extends string | number>({
  label,
  testId,
  value,
  options,
  onChange,
  hint,
}: FieldProps & { value: T | undefined; options: { value: T; label: string }[]; onChange: (value: T) => void }) {
  return (
    <Field label={label} testId={testId} hint={hint}>
      {(id) => (
        <select
          id={id}
          data-testid={`input-${testId}`}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => {
            const chosen = options.find((o) => String(o.value) === e.target.value);
            if (chosen) onChange(chosen.value);
          }}
        >
          {value === undefined ? <option value="">—</option> : null}
          {options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A checkbox with a label and a hint. */
export function CheckboxField({ label, testId, checked, onChange, hint }: { label: string; testId: string; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode }) {
  return (
    <div className="field checkbox" data-testid={`field-${testId}`}>
      <label>
        <input type="checkbox" data-testid={`input-${testId}`} checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      {hint ? <div className="field-hint">{hint}</div> : null}
    </div>
  );
}

/** One value per line (allow lists, secondary CIDRs); empty lines are dropped. */
export function LinesField({ label, testId, value, onChange, onBlur, hint, validateLine }: FieldProps & { value: string[] | undefined; onChange: (value: string[] | undefined) => void; validateLine?: (line: string) => string | null }) {
  return (
    <TextField
      label={label}
      testId={testId}
      multiline
      value={(value ?? []).join('\n')}
      {...(hint ? { hint } : {})}
      {...(onBlur ? { onBlur } : {})}
      validate={(text) => {
        if (!validateLine) return null;
        for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
          const error = validateLine(line);
          if (error) return error;
        }
        return null;
      }}
      onChange={(text) => {
        const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
        onChange(lines.length > 0 ? lines : undefined);
      }}
    />
  );
}

/** A titled group of fields. */
export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="inspector-section" {...(testId ? { 'data-testid': testId } : {})}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}


/**
 * A string map as `key: value` lines (tags, headers). Lines without a colon show an
 * error and are not committed; an empty map is `undefined`.
 */
export function KeyValueField({ label, testId, value, onChange, onBlur, hint }: FieldProps & { value: Record<string, string> | undefined; onChange: (value: Record<string, string> | undefined) => void }) {
  const parse = (text: string): { map?: Record<string, string>; error?: string } => {
    const map: Record<string, string> = {};
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const colon = line.indexOf(':');
      if (colon <= 0) return { error: `"${line}" is not "key: value"` };
      map[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    return { map };
  };
  return (
    <TextField
      label={label}
      testId={testId}
      multiline
      value={Object.entries(value ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}
      {...(hint ? { hint } : {})}
      {...(onBlur ? { onBlur } : {})}
      validate={(text) => parse(text).error ?? null}
      onChange={(text) => {
        const { map } = parse(text);
        if (map) onChange(Object.keys(map).length > 0 ? map : undefined);
      }}
    />
  );
}
