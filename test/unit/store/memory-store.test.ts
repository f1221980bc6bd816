import { MemoryStore } from '../../../src/store/memory-store';
import { describeStoreContract } from '../../support/store-contract';

describeStoreContract('MemoryStore', () => new MemoryStore());
