import { Section } from '../panels/fields.js';
import type { RendererKind } from './types.js';

function InternetGatewayInspector() {
  return (
    <Section title="Gateway">
      <p className="muted">Routes with this gateway as target reach the internet. Add a 0.0.0.0/0 route to it in a public subnet's route table.</p>
    </Section>
  );
}

export const internetGatewayKind: RendererKind<'internet-gateway'> = {
  icon: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M3.5 12h17M12 3.5c2.5 2.6 2.5 14.4 0 17M12 3.5c-2.5 2.6-2.5 14.4 0 17" />
    </>
  ),
  color: '#059669',
  darkColor: '#34d399',
  palette: { group: 'Network', rank: 4, hint: 'Drop into a VPC; target it from a 0.0.0.0/0 route' },
  subtitle: () => 'Internet gateway',
  Inspector: InternetGatewayInspector,
};
