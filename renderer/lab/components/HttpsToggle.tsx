/**
 * The HTTPS checkbox of the traffic and request forms: off and disabled, with the reason as
 * its tooltip (the title is also the checkbox's accessible description), for a target without HTTPS. `${testIdPrefix}-https`.
 */
export function HttpsToggle(props: { testIdPrefix: string; checked: boolean; unavailable: string | undefined; onChange: (checked: boolean) => void }): React.JSX.Element {
  const { testIdPrefix, unavailable } = props;
  const title = unavailable ?? "Send over HTTPS to the node's TLS listener, trusting the project's certificate authority for this run only.";
  return (
    <label className="lab-check" title={title} data-testid={`${testIdPrefix}-https-label`}>
      <input
        type="checkbox"
        data-testid={`${testIdPrefix}-https`}
        checked={props.checked && unavailable === undefined}
        disabled={unavailable !== undefined}
        title={title}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      HTTPS
    </label>
  );
}
