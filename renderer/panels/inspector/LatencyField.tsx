import type { Latency } from '../../../core/model/index.js';
import { useServices } from '../../lib/context.js';
import { NumberField, SelectField } from '../fields.js';

/** A designed latency: none, fixed, or a distribution with its mean and spread. */
export function LatencyField({ value, onChange }: { value: Latency | undefined; onChange: (v: Latency | undefined) => void }) {
  const { editor } = useServices();
  const distribution = value === undefined ? 'none' : typeof value === 'number' ? 'fixed' : value.distribution;
  const ms = value === undefined ? undefined : typeof value === 'number' ? value : value.ms;
  const spread = typeof value === 'object' ? value.spreadMs : undefined;
  const set = (d: string, m: number | undefined, s: number | undefined) => {
    if (d === 'none' || m === undefined) return onChange(undefined);
    if (d === 'fixed') return onChange(m);
    onChange({ distribution: d as 'uniform' | 'normal' | 'exponential', ms: m, ...(s !== undefined && d !== 'exponential' ? { spreadMs: s } : {}) });
  };
  return (
    <>
      <SelectField
        label="Latency"
        testId="latency-distribution"
        value={distribution}
        options={[
          { value: 'none', label: 'None' },
          { value: 'fixed', label: 'Fixed' },
          { value: 'uniform', label: 'Uniform (min–max)' },
          { value: 'normal', label: 'Normal (mean ± sd)' },
          { value: 'exponential', label: 'Exponential (mean)' },
        ]}
        onChange={(d) => set(d, ms ?? 20, spread)}
      />
      {distribution !== 'none' ? (
        <div className="field-row">
          <NumberField label={distribution === 'uniform' ? 'Min (ms)' : distribution === 'fixed' ? 'Delay (ms)' : 'Mean (ms)'} testId="latency-ms" value={ms} min={0} max={600_000} onChange={(v) => set(distribution, v, spread)} onBlur={() => editor.seal()} />
          {distribution === 'uniform' || distribution === 'normal' ? (
            <NumberField label={distribution === 'uniform' ? 'Max (ms)' : 'SD (ms)'} testId="latency-spread" value={spread} min={0} max={600_000} onChange={(v) => set(distribution, ms, v)} onBlur={() => editor.seal()} />
          ) : null}
        </div>
      ) : null}
    </>
  );
}
