/**
 * What a host of the service (the desktop shell) may use besides the contract: the atomic
 * write that its own settings files (window placement, recent designs) need, the same one
 * `files.write` saves designs with. Re-exported here so the shell reaches the core only
 * through core/api (the layering lint forbids anything else).
 */
export { writeFileAtomic, type AtomicWriteOptions } from '../files/atomic.js';
