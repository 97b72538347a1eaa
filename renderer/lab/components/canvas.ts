/** What the canvas's node and edge components mount (the lab's extension points on the diagram). */
export { LabNodeOverlay } from './NodeOverlay.js';
export { LabEdgeTraffic } from './EdgeTraffic.js';
export { LabDnsAnswers } from './DnsAnswers.js';
