import { MemoryStore } from '../../src/index.js';
import { describeSessionStore } from './session-store-conformance.js';

describeSessionStore('MemoryStore', async () => ({ store: new MemoryStore(), close: async () => undefined }));
