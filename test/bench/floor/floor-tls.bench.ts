/** `npm run bench -- floor-tls`: the floor benchmark over HTTPS (./floor.bench.ts, `floorBench('https')`). */
export { tlsBench as bench } from './floor.bench.js';
