import { memo } from 'react';
import { BaseEdge, getBezierPath, Handle, NodeResizer, Position, useStore as useFlowStore, type EdgeProps, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { KIND_LABELS } from '../../core/model/index.js';
import { useEditor } from '../lib/context.js';
import { connectionEnds } from '../actions/connect.js';
import { resizeNode } from '../actions/edit.js';
import type { TopologyFlowEdge, TopologyFlowNode } from './flow.js';
import { KindIcon } from './icons.js';
import { rendererKindOf } from '../kinds/index.js';
import { LabDnsAnswers, LabEdgeTraffic, LabNodeOverlay } from '../lab/components/canvas.js';

/** The subtitle under a node's name: its kind's (a CIDR, the gist of its settings), else its address. */
function subtitle(data: TopologyFlowNode['data']): string {
  return rendererKindOf(data.node.kind).subtitle?.(data.node) ?? data.address ?? 'no address';
}

/** The security groups that filter a node, under its name (a shield and their names; "no group" when none). */
function GroupsBadge({ id, groups }: { id: string; groups: string[] | undefined }) {
  if (groups === undefined) return null;
  const text = groups.length === 0 ? 'no group' : groups.join(', ');
  return (
    <span className={`sg-badge${groups.length === 0 ? ' is-empty' : ''}`} data-testid={`sg-badge-${id}`} title={`Security groups: ${text}`}>
      ⛨ {text}
    </span>
  );
}

function Badge({ severity }: { severity: string | undefined }) {
  if (!severity) return null;
  return (
    <span className={`node-badge badge-${severity}`} data-testid="node-badge" data-severity={severity} title={`${severity}: see Diagnostics`}>
      {severity === 'error' ? '!' : severity === 'warning' ? '▲' : 'i'}
    </span>
  );
}

/**
 * Below this zoom text is unreadable: in a large design nodes then draw a light
 * placeholder (mounting 1,000 full nodes is what makes zooming out slow). Small designs
 * always draw full nodes.
 */
const DETAIL_ZOOM = 0.35;
const LARGE_DESIGN = 200;
const zoomedOut = (s: ReactFlowState): boolean => s.transform[2] < DETAIL_ZOOM && s.nodes.length > LARGE_DESIGN;

/**
 * One of a node's two handles (`in` on the left, `out` on the right). A handle that can
 * never take part in an allowed connection (a client's in-handle, both of a gateway's;
 * see `connectionEnds`) is not drawn and takes no drag; it stays as the anchor of the
 * edges drawn from the model (a peering's lines).
 */
function NodeHandle({ node, side, testId = true }: { node: TopologyFlowNode['data']['node']; side: 'in' | 'out'; testId?: boolean }) {
  const ends = connectionEnds(node.kind);
  const usable = side === 'in' ? ends.ends : ends.starts;
  return (
    <Handle
      type={side === 'in' ? 'target' : 'source'}
      position={side === 'in' ? Position.Left : Position.Right}
      className={`handle${usable ? '' : ' is-anchor'}`}
      isConnectable={usable}
      {...(testId ? { 'data-testid': `handle-${side}-${node.id}` } : {})}
    />
  );
}

/** A plain node (server, balancer, gateway, ...): icon, name, address, diagnostic badge. */
export const DeviceNode = memo(function DeviceNode({ data, selected }: NodeProps<TopologyFlowNode>) {
  const { node } = data;
  const far = useFlowStore(zoomedOut);
  if (far) {
    return (
      <div className={`device is-far kind-${node.kind}${selected ? ' is-selected' : ''}${data.trace ? ` trace-${data.trace}` : ''}`} data-testid={`node-${node.id}`} data-kind={node.kind} data-badge={data.badge ?? ''}>
        <NodeHandle node={node} side="in" testId={false} />
        {data.badge ? <span className={`far-badge badge-${data.badge}`} /> : null}
        <NodeHandle node={node} side="out" testId={false} />
      </div>
    );
  }
  return (
    <div
      className={`device kind-${node.kind}${selected ? ' is-selected' : ''}${data.trace ? ` trace-${data.trace}` : ''}`}
      data-testid={`node-${node.id}`}
      data-kind={node.kind}
      data-badge={data.badge ?? ''}
    >
      <NodeHandle node={node} side="in" />
      <span className="device-icon">
        <KindIcon kind={node.kind} size={22} />
      </span>
      <div className="device-text">
        <span className="device-name" title={node.name ?? node.id}>
          {node.name ?? node.id}
        </span>
        {data.trace === 'blocked' ? (
          <span className="trace-blocker" data-testid="trace-blocker">
            ✕ blocks the flow
          </span>
        ) : (
          <span className={`device-sub${data.assigned ? ' is-assigned' : ''}`} title={data.assigned ? 'assigned by the engine' : undefined}>
            {subtitle(data)}
          </span>
        )}
        <GroupsBadge id={node.id} groups={data.groups} />
        {/* Lab facts are a row of the node itself: they never overlap a title. */}
        <LabNodeOverlay id={node.id} />
      </div>
      <Badge severity={data.badge} />
      <NodeHandle node={node} side="out" />
    </div>
  );
});

/** A VPC, subnet or auto-scaling group: a resizable frame holding its children. */
export const ContainerNode = memo(function ContainerNode({ id, data, selected }: NodeProps<TopologyFlowNode>) {
  const { node } = data;
  const editor = useEditor();
  return (
    <div
      className={`container kind-${node.kind}${selected ? ' is-selected' : ''}${data.trace ? ` trace-${data.trace}` : ''}${data.ghost ? ' is-ghost' : ''}`}
      data-testid={`node-${node.id}`}
      data-kind={node.kind}
      data-badge={data.badge ?? ''}
    >
      <NodeResizer
        isVisible={selected === true}
        minWidth={160}
        minHeight={96}
        lineClassName="resizer-line"
        handleClassName="resizer-handle"
        onResizeEnd={(_event, params) => {
          editor.apply(`Resize ${id}`, (d) => resizeNode(d, { id, x: params.x, y: params.y, width: params.width, height: params.height }));
        }}
      />
      <div className="container-header">
        <NodeHandle node={node} side="in" />
        <KindIcon kind={node.kind} size={18} />
        <span className="container-kind">{KIND_LABELS[node.kind]}</span>
        <span className="container-name" title={node.name ?? node.id}>
          {node.name ?? node.id}
        </span>
        <span className="container-cidr">{subtitle(data)}</span>
        {'zone' in node && node.zone ? <span className="container-zone">{node.zone}</span> : null}
        {data.trace === 'blocked' ? (
          <span className="trace-blocker" data-testid="trace-blocker" title="This blocks the traced flow">
            ✕ blocks
          </span>
        ) : null}
        <GroupsBadge id={node.id} groups={data.groups} />
        <LabNodeOverlay id={node.id} />
        <Badge severity={data.badge} />
        <NodeHandle node={node} side="out" />
      </div>
      {data.childCount === 0 ? <div className="container-empty">{rendererKindOf(node.kind).emptyHint ?? ''}</div> : null}
    </div>
  );
});

/**
 * A connection: traffic (solid, arrow), association (dashed) or peering (dotted). An edge
 * with a diagnostic is drawn in its severity's colour (a blocked connection red) and shows
 * the diagnostics on hover, over the line and its badge.
 */
export const TopologyEdge = memo(function TopologyEdge(props: EdgeProps<TopologyFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath(props);
  const badge = props.data?.badge;
  const reason = props.data?.reason;
  return (
    <>
      <g data-testid={`edge-${props.id}`} data-severity={badge ?? ''}>
        {reason !== undefined ? <title>{reason}</title> : null}
        <BaseEdge id={props.id} path={path} {...(props.markerEnd ? { markerEnd: props.markerEnd } : {})} interactionWidth={16} />
      </g>
      {props.data?.role === 'traffic' ? <LabEdgeTraffic id={props.id} from={props.source} to={props.target} path={path} labelX={labelX} labelY={labelY} /> : null}
      {props.data?.role === 'dns' && props.data.dns ? <LabDnsAnswers id={props.id} dns={props.data.dns} labelX={labelX} labelY={labelY} /> : null}
      {badge ? (
        <foreignObject x={labelX - 9} y={labelY - 9} width={18} height={18} className="edge-badge-wrap">
          <span className={`node-badge badge-${badge}`} data-testid={`edge-badge-${props.id}`} title={reason ?? `${badge}: see Diagnostics`}>
            !
          </span>
        </foreignObject>
      ) : null}
    </>
  );
});

/** Defined once at module scope, as React Flow requires for stable rendering. */
export const nodeTypes = { device: DeviceNode, container: ContainerNode };
/** Edge components by type, at module scope for the same reason. */
export const edgeTypes = { topology: TopologyEdge };
