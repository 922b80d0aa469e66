import { storeContract } from '../store.contract.js'
import { openMemoryStore } from './open-memory-store.js'

storeContract('memory', () => openMemoryStore())
