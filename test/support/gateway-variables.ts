/**
 * Values for the variables a Terraform export declares for an API gateway exported as an HTTP
 * API: the Lambda authorizers (the user's own functions) and a JWT issuer or audience the
 * design leaves out. For offline plans in tests; none of them is ever called.
 */
export function gatewayVariables(variablesTf: string, region = 'eu-west-1'): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const match of variablesTf.matchAll(/^variable "([A-Za-z0-9_]+_authorizer_arn)"/gm)) vars[match[1] as string] = `arn:aws:lambda:${region}:123456789012:function:authorizer`;
  for (const match of variablesTf.matchAll(/^variable "([A-Za-z0-9_]+_jwt(?:_\d+)?_issuer)"/gm)) vars[match[1] as string] = 'https://issuer.example';
  for (const match of variablesTf.matchAll(/^variable "([A-Za-z0-9_]+_jwt(?:_\d+)?_audience)"/gm)) vars[match[1] as string] = 'api';
  return vars;
}
