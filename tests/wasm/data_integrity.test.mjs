import { tests } from './cases/data_integrity.mjs';
import { register } from './node-context.mjs';

register(tests);
