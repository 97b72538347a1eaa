/** The HTTP methods the lab's forms offer. */
export const LAB_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;

/** Method and path inputs shared by the traffic panel and the request inspector; test ids are `${testIdPrefix}-method` / `-path`. */
export function MethodPathFields(props: {
  testIdPrefix: string;
  method: string;
  path: string;
  onMethod: (method: string) => void;
  onPath: (path: string) => void;
}): React.JSX.Element {
  return (
    <>
      <label>
        Method
        <select data-testid={`${props.testIdPrefix}-method`} value={props.method} onChange={(e) => props.onMethod(e.target.value)}>
          {LAB_METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      <label className="wide">
        Path
        <input data-testid={`${props.testIdPrefix}-path`} value={props.path} onChange={(e) => props.onPath(e.target.value)} />
      </label>
    </>
  );
}
